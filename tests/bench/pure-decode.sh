#!/bin/bash
# Pure decoding cost of N simulator streams: tests/bench/pure-decode.sh N gst|gst1|ff1|ffskip
# Starts its own simulator on ports 8650/8651, runs N decoders for 15 s and prints their CPU (% of one core) from /proc.
N=$1; MODE=${2:-gst}
/usr/bin/python3 native/simulator/simulator.py --rtsp-port 8650 --control-port 8651 --cameras resources/demo-city.json > /tmp/sim.out 2>/dev/null &
SIM=$!; sleep 3
ids=$(python3 -c "import json;print(' '.join(c['id'] for c in json.load(open('resources/demo-city.json'))['cameras'][:$N]))")
pids=()
for id in $ids; do
  case $MODE in
    gst) gst-launch-1.0 -q rtspsrc location=rtsp://127.0.0.1:8650/$id/sub protocols=tcp latency=100 ! rtph264depay ! h264parse ! avdec_h264 ! fakesink sync=false > /dev/null 2>&1 & ;;
    gst1) gst-launch-1.0 -q rtspsrc location=rtsp://127.0.0.1:8650/$id/sub protocols=tcp latency=100 ! rtph264depay ! h264parse ! avdec_h264 max-threads=1 ! fakesink sync=false > /dev/null 2>&1 & ;;
    ffskip) ffmpeg -v quiet -rtsp_transport tcp -skip_loop_filter all -threads 1 -i rtsp://127.0.0.1:8650/$id/sub -f null - > /dev/null 2>&1 & ;;
    ff1) ffmpeg -v quiet -rtsp_transport tcp -threads 1 -i rtsp://127.0.0.1:8650/$id/sub -f null - > /dev/null 2>&1 & ;;
  esac
  pids+=($!)
done
sleep 5
t0=$(for p in ${pids[@]}; do awk '{print $14+$15}' /proc/$p/stat; done | paste -sd+ | bc)
s0=$(awk '{print $14+$15}' /proc/$SIM/stat)
sleep 15
t1=$(for p in ${pids[@]}; do awk '{print $14+$15}' /proc/$p/stat; done | paste -sd+ | bc)
s1=$(awk '{print $14+$15}' /proc/$SIM/stat)
echo "$MODE N=$N decoders CPU%: $(( (t1-t0)*100/100/15 )) sim CPU%: $(( (s1-s0)/15 ))"
kill ${pids[@]} $SIM 2>/dev/null; wait 2>/dev/null
