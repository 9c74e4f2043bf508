//! `schema.graphql` is what `imprint schema` prints, byte for byte.

use std::process::Command;

#[test]
fn the_checked_in_schema_matches_what_the_binary_prints() {
    let output = Command::new(env!("CARGO_BIN_EXE_imprint"))
        .arg("schema")
        .output()
        .unwrap();
    assert!(output.status.success());
    let printed = String::from_utf8(output.stdout).unwrap();
    let checked_in =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql")).unwrap();
    assert!(
        printed == checked_in,
        "schema.graphql is out of date: run `cargo run -- schema > schema.graphql`"
    );
}
