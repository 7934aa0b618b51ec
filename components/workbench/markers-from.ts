// Where the editor marks a problem: the lines a rejection or a failed build step names.
import type { EditorMarker } from '@/components/editor/CodeEditor';
import type { TimelineEvent } from '@/lib/observe/timeline-event';

/** Rejections and a failed build step, as markers on the lines they name, by file. */
export function markersFrom(events: TimelineEvent[]): Record<string, EditorMarker[]> {
  const markers: Record<string, EditorMarker[]> = {};
  for (const event of events) {
    if (event.type === 'rejected' && event.line)
      (markers[event.file] ??= []).push({ line: event.line, message: event.message });
    if (event.type === 'build-end' && !event.ok && event.line)
      (markers[event.file ?? 'Dockerfile'] ??= []).push({
        line: event.line,
        message: event.error ?? 'this step failed',
      });
  }
  return markers;
}
