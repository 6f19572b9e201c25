/** Pure builders: camera + tile size -> GStreamer description / FFmpeg argv. */
export * from './gstreamer.js';
export * from './ffmpeg.js';
