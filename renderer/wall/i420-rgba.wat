;; I420 -> RGBA with scaling, for painting decoded pictures into a Canvas2D tile with putImageData.
;; Measured in Chromium without a GPU (tests/bench/paint-micro.mjs): drawImage(VideoFrame) costs ~1.5 ms of CPU per 360p
;; picture, almost all of it the browser's colour conversion; this kernel does conversion and scaling in ~0.2 ms.
;; Filter: each output pixel averages a 2x2 block of luma around its sampling point (a cheap box filter that keeps
;; 1-2.7x downscaling from aliasing); chroma is sampled nearest (it is half resolution already). BT.601 limited range.
;; The JS side (i420-painter.ts) computes the sampling tables and lays out the memory:
;;   rt: i32 x 3 per output row (luma row r0, luma row r1, chroma row)
;;   gt: 80 bytes per group of 8 output pixels: i32 luma window start, i32 chroma window start, 8 bytes padding, then
;;       four i8x16 swizzle masks: luma lanes 0-7 = x and 8-15 = x+1 from window bytes 0-15, the same from bytes 16-31,
;;       chroma lanes 0-7 from window bytes 0-15, the same from bytes 16-31 (index 255 = not from this half).
;;       A 32-byte window holds 8 outputs up to a 4.2x downscale; the JS side draws larger downscales another way.
;;   scr: srcW + 64 bytes of vertically averaged luma.
;; Reads up to 31 bytes past a row and writes up to 28 bytes past the output: the JS side pads both.
(module
  (memory (export "memory") 1)
  (func (export "convert")
    (param $y i32) (param $ys i32) (param $u i32) (param $us i32) (param $v i32) (param $vs i32)
    (param $srcW i32) (param $out i32) (param $outW i32) (param $outH i32)
    (param $gt i32) (param $rt i32) (param $scr i32)
    (local $j i32) (local $g i32) (local $p0 i32) (local $p1 i32) (local $cu i32) (local $cv i32)
    (local $yv i32) (local $o i32) (local $r i32) (local $t i32) (local $i i32) (local $lb i32) (local $cb i32)
    (local $L v128) (local $Y v128) (local $U v128) (local $V v128) (local $yl v128) (local $yh v128)
    (local $R v128) (local $G v128) (local $B v128) (local $RG v128) (local $BA v128)
    (local.set $yv (local.get $scr))
    (local.set $o (local.get $out))
    (local.set $j (i32.const 0))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $j) (local.get $outH)))
      (local.set $r (i32.add (local.get $rt) (i32.mul (local.get $j) (i32.const 12))))
      (local.set $p0 (i32.add (local.get $y) (i32.mul (i32.load (local.get $r)) (local.get $ys))))
      (local.set $p1 (i32.add (local.get $y) (i32.mul (i32.load offset=4 (local.get $r)) (local.get $ys))))
      (local.set $cu (i32.add (local.get $u) (i32.mul (i32.load offset=8 (local.get $r)) (local.get $us))))
      (local.set $cv (i32.add (local.get $v) (i32.mul (i32.load offset=8 (local.get $r)) (local.get $vs))))
      ;; vertical average of the two luma rows, 16 bytes at a time
      (local.set $i (i32.const 0))
      (block $vDone (loop $vert
        (br_if $vDone (i32.ge_u (local.get $i) (local.get $srcW)))
        (v128.store (i32.add (local.get $yv) (local.get $i))
          (i8x16.avgr_u (v128.load (i32.add (local.get $p0) (local.get $i))) (v128.load (i32.add (local.get $p1) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vert)))
      ;; 8 output pixels per group: gather by swizzle, average x and x+1, convert, interleave
      (local.set $g (i32.const 0))
      (local.set $t (local.get $gt))
      (block $cDone (loop $conv
        (br_if $cDone (i32.ge_u (local.get $g) (local.get $outW)))
        (local.set $lb (i32.add (local.get $yv) (i32.load (local.get $t))))
        (local.set $cb (i32.load offset=4 (local.get $t)))
        (local.set $L (v128.or
          (i8x16.swizzle (v128.load (local.get $lb)) (v128.load offset=16 (local.get $t)))
          (i8x16.swizzle (v128.load offset=16 (local.get $lb)) (v128.load offset=32 (local.get $t)))))
        (local.set $Y (i16x8.sub
          (i16x8.extend_low_i8x16_u (i8x16.avgr_u (local.get $L)
            (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $L) (local.get $L))))
          (i16x8.splat (i32.const 16))))
        (local.set $U (i16x8.sub (i16x8.extend_low_i8x16_u (v128.or
            (i8x16.swizzle (v128.load (i32.add (local.get $cu) (local.get $cb))) (v128.load offset=48 (local.get $t)))
            (i8x16.swizzle (v128.load offset=16 (i32.add (local.get $cu) (local.get $cb))) (v128.load offset=64 (local.get $t)))))
          (i16x8.splat (i32.const 128))))
        (local.set $V (i16x8.sub (i16x8.extend_low_i8x16_u (v128.or
            (i8x16.swizzle (v128.load (i32.add (local.get $cv) (local.get $cb))) (v128.load offset=48 (local.get $t)))
            (i8x16.swizzle (v128.load offset=16 (i32.add (local.get $cv) (local.get $cb))) (v128.load offset=64 (local.get $t)))))
          (i16x8.splat (i32.const 128))))
        (local.set $yl (i32x4.add (i32x4.extmul_low_i16x8_s (local.get $Y) (i16x8.splat (i32.const 298))) (i32x4.splat (i32.const 128))))
        (local.set $yh (i32x4.add (i32x4.extmul_high_i16x8_s (local.get $Y) (i16x8.splat (i32.const 298))) (i32x4.splat (i32.const 128))))
        (local.set $R (i16x8.narrow_i32x4_s
          (i32x4.shr_s (i32x4.add (local.get $yl) (i32x4.extmul_low_i16x8_s (local.get $V) (i16x8.splat (i32.const 409)))) (i32.const 8))
          (i32x4.shr_s (i32x4.add (local.get $yh) (i32x4.extmul_high_i16x8_s (local.get $V) (i16x8.splat (i32.const 409)))) (i32.const 8))))
        (local.set $G (i16x8.narrow_i32x4_s
          (i32x4.shr_s (i32x4.sub (i32x4.sub (local.get $yl)
              (i32x4.extmul_low_i16x8_s (local.get $U) (i16x8.splat (i32.const 100))))
              (i32x4.extmul_low_i16x8_s (local.get $V) (i16x8.splat (i32.const 208)))) (i32.const 8))
          (i32x4.shr_s (i32x4.sub (i32x4.sub (local.get $yh)
              (i32x4.extmul_high_i16x8_s (local.get $U) (i16x8.splat (i32.const 100))))
              (i32x4.extmul_high_i16x8_s (local.get $V) (i16x8.splat (i32.const 208)))) (i32.const 8))))
        (local.set $B (i16x8.narrow_i32x4_s
          (i32x4.shr_s (i32x4.add (local.get $yl) (i32x4.extmul_low_i16x8_s (local.get $U) (i16x8.splat (i32.const 516)))) (i32.const 8))
          (i32x4.shr_s (i32x4.add (local.get $yh) (i32x4.extmul_high_i16x8_s (local.get $U) (i16x8.splat (i32.const 516)))) (i32.const 8))))
        ;; saturate to bytes (lanes 0-7) and interleave R G B A
        (local.set $RG (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23
          (i8x16.narrow_i16x8_u (local.get $R) (local.get $R)) (i8x16.narrow_i16x8_u (local.get $G) (local.get $G))))
        (local.set $BA (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23
          (i8x16.narrow_i16x8_u (local.get $B) (local.get $B)) (i8x16.splat (i32.const 255))))
        (v128.store (local.get $o) (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $RG) (local.get $BA)))
        (v128.store offset=16 (local.get $o) (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $RG) (local.get $BA)))
        (local.set $o (i32.add (local.get $o) (i32.const 32)))
        (local.set $t (i32.add (local.get $t) (i32.const 80)))
        (local.set $g (i32.add (local.get $g) (i32.const 8)))
        (br $conv)))
      ;; the last group may have run past the row: the next row starts where this row really ends
      (local.set $o (i32.add (local.get $out) (i32.mul (i32.add (local.get $j) (i32.const 1)) (i32.shl (local.get $outW) (i32.const 2)))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $rows)))
  )
)
