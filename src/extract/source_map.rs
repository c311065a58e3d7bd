//! Offsets in extracted text → byte offsets in the original file.

use std::ops::Range;

/// A run of extracted text and the source bytes it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Segment {
    text: Range<usize>,
    src: Range<usize>,
}

impl Segment {
    /// Whether text and source have the same length, so offsets map byte for byte.
    fn is_linear(&self) -> bool {
        self.text.len() == self.src.len()
    }
}

/// Maps offsets of extracted text back to the original file.
///
/// Runs copied verbatim map byte for byte; decoded runs (an entity `&rsquo;` that became `’`)
/// map as a whole, so a span that starts or ends inside one widens to the whole source run.
/// Inserted separators map to an empty range at the point where they were inserted.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    segments: Vec<Segment>,
}

impl SourceMap {
    /// Records that `len` bytes of text at `text_start` come from `src`.
    pub fn push(&mut self, text_start: usize, len: usize, src: Range<usize>) {
        if let Some(last) = self.segments.last_mut() {
            let contiguous = last.text.end == text_start && last.src.end == src.start;
            if contiguous && last.is_linear() && len == src.len() {
                last.text.end += len;
                last.src.end = src.end;
                return;
            }
        }
        self.segments.push(Segment {
            text: text_start..text_start + len,
            src,
        });
    }

    /// Forgets text at and after `text_len` (used when trailing spaces are trimmed).
    pub fn truncate(&mut self, text_len: usize) {
        while let Some(last) = self.segments.last_mut() {
            if last.text.start >= text_len {
                self.segments.pop();
            } else {
                if last.text.end > text_len {
                    let cut = last.text.end - text_len;
                    last.text.end = text_len;
                    if last.src.len() >= cut && last.src.len() == last.text.len() + cut {
                        last.src.end -= cut;
                    }
                }
                break;
            }
        }
    }

    /// This map followed by `outer`: for text whose source is itself text mapped by `outer` (a
    /// record's cell inside its CSV file). Linear runs stay exact wherever `outer` is linear.
    pub fn through(&self, outer: &SourceMap) -> SourceMap {
        let mut out = SourceMap::default();
        for segment in &self.segments {
            if !segment.is_linear() || segment.src.is_empty() {
                let src = outer.to_source(segment.src.clone());
                out.push(segment.text.start, segment.text.len(), src);
                continue;
            }
            // Split the run where `outer`'s segments meet.
            let mut at = segment.src.start;
            let mut text_at = segment.text.start;
            while at < segment.src.end {
                let i = outer.segments.partition_point(|s| s.text.end <= at);
                let piece_end = outer
                    .segments
                    .get(i)
                    .filter(|s| s.text.start <= at)
                    .map_or(segment.src.end, |s| s.text.end.min(segment.src.end));
                let piece_end = piece_end.max(at + 1).min(segment.src.end);
                let len = piece_end - at;
                out.push(text_at, len, outer.to_source(at..piece_end));
                text_at += len;
                at = piece_end;
            }
        }
        out
    }

    /// The end of the last mapped source range.
    pub fn source_end(&self) -> usize {
        self.segments.last().map_or(0, |s| s.src.end)
    }

    /// The source range of a text range.
    pub fn to_source(&self, text: Range<usize>) -> Range<usize> {
        let start = self.map_start(text.start);
        let end = self.map_end(text.end).max(start);
        start..end
    }

    fn map_start(&self, offset: usize) -> usize {
        let i = self.segments.partition_point(|s| s.text.end <= offset);
        match self.segments.get(i) {
            Some(s) if s.text.start <= offset => {
                if s.is_linear() {
                    s.src.start + (offset - s.text.start)
                } else {
                    s.src.start
                }
            }
            Some(s) => s.src.start,
            None => self.source_end(),
        }
    }

    fn map_end(&self, offset: usize) -> usize {
        let i = self.segments.partition_point(|s| s.text.end < offset);
        match self.segments.get(i) {
            Some(s) if s.text.start < offset => {
                if s.is_linear() {
                    s.src.start + (offset - s.text.start)
                } else {
                    s.src.end
                }
            }
            Some(s) => s.src.start,
            None => self.source_end(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoded_runs_widen_to_their_source() {
        // "a’b" extracted from "a&rsquo;b"
        let mut map = SourceMap::default();
        map.push(0, 1, 0..1);
        map.push(1, 3, 1..8);
        map.push(4, 1, 8..9);
        assert_eq!(map.to_source(0..5), 0..9);
        assert_eq!(map.to_source(4..5), 8..9);
        assert_eq!(map.to_source(1..4), 1..8);
    }

    #[test]
    fn maps_compose_through_a_container() {
        // A cell `say ""hi""` at byte 10 of a CSV file, unescaped to `say "hi"`, whose copy
        // drops the leading `say `.
        let mut outer = SourceMap::default();
        outer.push(0, 4, 10..14);
        outer.push(4, 1, 14..16);
        outer.push(5, 2, 16..18);
        outer.push(7, 1, 18..20);
        let mut inner = SourceMap::default();
        inner.push(0, 4, 4..8);
        let composed = inner.through(&outer);
        assert_eq!(composed.to_source(0..4), 14..20);
        assert_eq!(composed.to_source(1..3), 16..18, "`hi` is exact");
    }

    #[test]
    fn contiguous_linear_runs_merge() {
        let mut map = SourceMap::default();
        map.push(0, 3, 10..13);
        map.push(3, 2, 13..15);
        assert_eq!(map.segments.len(), 1);
        assert_eq!(map.to_source(1..4), 11..14);
    }
}
