import { describe, expect, it } from 'vitest';
import { RecordingFailure, recordingFailureText } from '../../electron/host/streams/worker-process.js';

describe('a failed recording branch, as the operator reads it', () => {
  it('adds the element and the last line of GStreamer\'s debug string to the message', () => {
    const detail = '../gst/isomp4/gstqtmux.c(5410): gst_qt_mux_add_buffer (): /GstPipeline:pipeline0/GstSplitMuxSink:recsink/GstMP4Mux:recmux:\nBuffer has no PTS.';
    expect(recordingFailureText({ message: 'Could not multiplex stream.', element: 'recmux', detail })).toBe('Could not multiplex stream. (recmux: Buffer has no PTS.)');
    expect(recordingFailureText({ message: 'No space left on device.' })).toBe('No space left on device.');
    expect(recordingFailureText({ message: 'same', detail: 'same' })).toBe('same');
  });

  it('refuses what is not a worker\'s report (the caller falls back to the message alone)', () => {
    expect(RecordingFailure.safeParse({ message: 'x', element: 42 }).success).toBe(false);
    expect(RecordingFailure.safeParse({ message: 'x'.repeat(3000) }).success).toBe(false);
  });
});
