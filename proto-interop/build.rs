//! Generates rust-protobuf code for `schemas/proto/exev/v1/*.proto` with its pure-Rust parser
//! (no `protoc`), into `OUT_DIR`.

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/proto");
    let files =
        ["value.proto", "blocks.proto", "event.proto"].map(|f| root.join("exev/v1").join(f));
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
    }
    protobuf_codegen::Codegen::new()
        .pure()
        .include(&root)
        .inputs(&files)
        .cargo_out_dir("exev_v1")
        .run_from_script();
}
