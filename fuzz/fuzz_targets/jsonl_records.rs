//! The JSON Lines adapter on arbitrary text: a record is audited or refused with a short
//! reason, and every audited piece maps back to in-bounds, char-aligned, ordered source.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for record in overclaim::fuzzing::jsonl_cells(text) {
        match record {
            Ok((_, pieces)) => overclaim::fuzzing::assert_pieces_map_into(text, &pieces),
            Err(reason) => assert!(!reason.is_empty() && reason.len() <= 400),
        }
    }
});
