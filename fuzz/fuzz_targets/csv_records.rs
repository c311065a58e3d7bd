//! The CSV adapter on arbitrary bytes: the first byte picks the copy column (and whether a key
//! column is used); every cell it audits maps back to in-bounds, char-aligned, ordered source.
#![no_main]

use libfuzzer_sys::fuzz_target;

const COLUMNS: [&str; 4] = ["description", "id", "", "copy text"];

fuzz_target!(|input: (u8, &str)| {
    let (pick, text) = input;
    let column = COLUMNS[usize::from(pick % 4)];
    let key = (pick & 4 != 0).then_some("id");
    let Ok(records) = overclaim::fuzzing::csv_cells(text, column, key) else {
        return;
    };
    for record in records {
        match record {
            Ok((_, pieces)) => overclaim::fuzzing::assert_pieces_map_into(text, &pieces),
            Err(reason) => assert!(!reason.is_empty() && reason.len() <= 400),
        }
    }
});
