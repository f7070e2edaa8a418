import { dataError, notFoundError } from './errors.ts';

/**
 * The two marker comments that enclose the generated part of a document.
 *
 * @since 0.1.0
 */
export interface GeneratedDocsMarkers {
  readonly start: string;
  readonly end: string;
}

const DEFAULT_MARKERS: GeneratedDocsMarkers = Object.freeze({
  start: '<!-- generated config: start. Run `pnpm run docs` to update; do not edit by hand. -->',
  end: '<!-- generated config: end -->',
});

function onlyOnce(document: string, marker: string): number {
  const at = document.indexOf(marker);
  if (at === -1) throw notFoundError(`the document lacks the marker ${marker}: add it where the generated docs go`, { context: { marker } });
  if (document.indexOf(marker, at + marker.length) !== -1) {
    throw dataError(`the document holds the marker ${marker} more than once: keep one`, { context: { marker } });
  }
  return at;
}

/**
 * `document` with the text between the start and end markers replaced by `generated`, so a
 * package can keep the generated part of its README (config tables rendered with
 * `ConfigSpec.markdown`) in step with its specs while the rest stays hand-written. Idempotent:
 * splicing the same `generated` again returns the same text, which is what a staleness test
 * compares.
 *
 * The result holds the start marker, a blank line, `generated` without leading or trailing
 * blank lines, a blank line and the end marker. Everything outside the markers is kept as it
 * is. The default markers are
 * `<!-- generated config: start. Run `pnpm run docs` to update; do not edit by hand. -->` and
 * `<!-- generated config: end -->`.
 *
 * A missing marker is a `NOT_FOUND` error; a marker found twice, or the end before the start, is
 * a `DATA` error. Both name the marker.
 *
 * @since 0.1.0
 */
export function spliceGeneratedDocs(document: string, generated: string, markers: GeneratedDocsMarkers = DEFAULT_MARKERS): string {
  const start = onlyOnce(document, markers.start);
  const end = onlyOnce(document, markers.end);
  if (end < start + markers.start.length) {
    throw dataError(`the document holds the marker ${markers.end} before ${markers.start}: swap them`, { context: { ...markers } });
  }
  const body = generated.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd();
  return `${document.slice(0, start + markers.start.length)}\n\n${body}\n\n${document.slice(end)}`;
}
