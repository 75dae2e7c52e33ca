//! Plugin bundles: a component plus its manifest (and optionally a vendor signature), as a
//! directory or a zip archive. Reading a bundle never trusts it: sizes are capped before
//! anything is decompressed, the component's sha256 must match the manifest, and a signature
//! is checked against the administrator's trusted keys.

use crate::manifest::{Manifest, ManifestError, MANIFEST_FILE};
use base64::Engine as _;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

pub const SIGNATURE_FILE: &str = "signature.ed25519";
/// Largest component accepted.
pub const MAX_COMPONENT_BYTES: u64 = 64 << 20;
const MAX_MANIFEST_BYTES: u64 = 256 << 10;
const MAX_SIGNATURE_BYTES: u64 = 4 << 10;
const MAX_ZIP_ENTRIES: usize = 16;

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("cannot read bundle {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("bundle is not a valid zip archive: {0}")]
    Archive(String),
    #[error("bundle lacks {0}")]
    Missing(String),
    #[error("bundle entry `{name}` is larger than the {limit}-byte limit")]
    TooLarge { name: String, limit: u64 },
    #[error(
        "bundle entry `{0}` is not allowed (a bundle holds only {MANIFEST_FILE}, the component and {SIGNATURE_FILE})"
    )]
    UnexpectedEntry(String),
    #[error(
        "bundle holds two entries named `{0}` (or names equal once normalised): which one is meant cannot be told"
    )]
    DuplicateEntry(String),
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    #[error("manifest has no component.sha256: a bundle must pin its component's digest")]
    MissingDigest,
    #[error("component digest mismatch: manifest says {expected}, component is {actual}")]
    DigestMismatch { expected: String, actual: String },
    #[error("bundle is unsigned, and this host only accepts bundles signed by a trusted vendor key")]
    Unsigned,
    #[error("bundle signature is not valid for any trusted vendor key")]
    BadSignature,
    #[error("invalid key or signature encoding: {0}")]
    Encoding(String),
}

/// A bundle whose digest has been checked.
#[derive(Debug, Clone)]
pub struct Bundle {
    pub manifest: Manifest,
    pub manifest_bytes: Vec<u8>,
    pub component: Vec<u8>,
    /// Hex sha256 of the component.
    pub digest: String,
    pub signature: Option<Vec<u8>>,
}

/// Outcome of the signature check, kept with the installed plugin.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SignatureStatus {
    /// Signed by this trusted key (hex).
    Verified { key: String },
    /// Signed, but no trusted key is configured on this host, so the signature was not checked.
    NotChecked,
    /// Not signed; accepted because no trusted key is configured.
    Unsigned,
    /// Shipped with the host binary itself.
    Builtin,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Bundle {
    /// Reads a bundle from a directory or a `.zip` file.
    pub fn read(path: &Path) -> Result<Self, BundleError> {
        let io = |source| BundleError::Io { path: path.display().to_string(), source };
        if path.is_dir() {
            let manifest_bytes = read_capped(&path.join(MANIFEST_FILE), MANIFEST_FILE, MAX_MANIFEST_BYTES)?
                .ok_or_else(|| BundleError::Missing(MANIFEST_FILE.into()))?;
            let manifest = Manifest::parse(&String::from_utf8_lossy(&manifest_bytes))?;
            let file = manifest.component.file.clone();
            let component = read_capped(&path.join(&file), &file, MAX_COMPONENT_BYTES)?
                .ok_or_else(|| BundleError::Missing(file.clone()))?;
            let signature = read_capped(&path.join(SIGNATURE_FILE), SIGNATURE_FILE, MAX_SIGNATURE_BYTES)?;
            Self::from_parts(manifest_bytes, component, signature)
        } else {
            let file = std::fs::File::open(path).map_err(io)?;
            Self::read_zip(file)
        }
    }

    /// Reads a zip bundle from any seekable source (an upload, a file).
    pub fn read_zip<R: Read + std::io::Seek>(mut reader: R) -> Result<Self, BundleError> {
        let declared = declared_entries(&mut reader);
        let mut archive = zip::ZipArchive::new(reader).map_err(|e| BundleError::Archive(e.to_string()))?;
        // The zip crate keeps one entry per name: a count below the archive's own is a duplicate.
        if declared.is_some_and(|n| n != archive.len()) {
            return Err(BundleError::DuplicateEntry("(an entry name appears twice in the archive)".into()));
        }
        if archive.len() > MAX_ZIP_ENTRIES {
            return Err(BundleError::Archive(format!("{} entries (at most {MAX_ZIP_ENTRIES})", archive.len())));
        }
        let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for i in 0..archive.len() {
            let entry = archive.by_index(i).map_err(|e| BundleError::Archive(e.to_string()))?;
            // Before anything else, directories included: a second entry of the same name (the
            // zip format allows it) could be what another tool reads.
            if !seen.insert(normalised_entry_name(entry.name())) {
                return Err(BundleError::DuplicateEntry(crate::text::terminal_safe(entry.name()).into_owned()));
            }
            if entry.is_dir() {
                continue;
            }
            let name = entry.name().to_owned();
            let limit = match name.as_str() {
                MANIFEST_FILE => MAX_MANIFEST_BYTES,
                SIGNATURE_FILE => MAX_SIGNATURE_BYTES,
                n if n.ends_with(".wasm") && !n.contains('/') && !n.contains('\\') => MAX_COMPONENT_BYTES,
                _ => return Err(BundleError::UnexpectedEntry(name)),
            };
            // The declared size can lie (zip bombs): read at most limit + 1 bytes whatever it says.
            if entry.size() > limit {
                return Err(BundleError::TooLarge { name, limit });
            }
            let mut bytes = Vec::new();
            entry
                .take(limit + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| BundleError::Archive(format!("`{name}`: {e}")))?;
            if bytes.len() as u64 > limit {
                return Err(BundleError::TooLarge { name, limit });
            }
            entries.push((name, bytes));
        }
        let mut take = |name: &str| entries.iter().position(|(n, _)| n == name).map(|i| entries.swap_remove(i).1);
        let manifest_bytes = take(MANIFEST_FILE).ok_or_else(|| BundleError::Missing(MANIFEST_FILE.into()))?;
        let manifest = Manifest::parse(&String::from_utf8_lossy(&manifest_bytes))?;
        let component =
            take(&manifest.component.file).ok_or_else(|| BundleError::Missing(manifest.component.file.clone()))?;
        let signature = take(SIGNATURE_FILE);
        if let Some((name, _)) = entries.first() {
            return Err(BundleError::UnexpectedEntry(name.clone()));
        }
        Self::from_parts(manifest_bytes, component, signature)
    }

    /// Checks the component's digest against the manifest.
    pub fn from_parts(
        manifest_bytes: Vec<u8>,
        component: Vec<u8>,
        signature: Option<Vec<u8>>,
    ) -> Result<Self, BundleError> {
        let manifest = Manifest::parse(&String::from_utf8_lossy(&manifest_bytes))?;
        let digest = sha256_hex(&component);
        let expected = manifest.component.sha256.clone().ok_or(BundleError::MissingDigest)?;
        if !expected.eq_ignore_ascii_case(&digest) {
            return Err(BundleError::DigestMismatch { expected, actual: digest });
        }
        Ok(Self { manifest, manifest_bytes, component, digest, signature })
    }

    /// Builds a bundle from a manifest whose digest is filled in here (packaging).
    pub fn pack(mut manifest: Manifest, component: Vec<u8>, key: Option<&SigningKey>) -> Result<Self, BundleError> {
        manifest.component.sha256 = Some(sha256_hex(&component));
        manifest.validate()?;
        let manifest_bytes = manifest.to_toml().into_bytes();
        let signature = key.map(|k| encode_signature(&k.sign(&manifest_bytes)));
        Self::from_parts(manifest_bytes, component, signature)
    }

    /// Writes the bundle as a zip archive.
    pub fn write_zip(&self, path: &Path) -> std::io::Result<()> {
        use std::io::Write;
        let file = std::fs::File::create(path)?;
        let mut zip = zip::ZipWriter::new(file);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let mut add = |name: &str, bytes: &[u8]| -> std::io::Result<()> {
            zip.start_file(name, opts).map_err(std::io::Error::other)?;
            zip.write_all(bytes)
        };
        add(MANIFEST_FILE, &self.manifest_bytes)?;
        add(&self.manifest.component.file, &self.component)?;
        if let Some(sig) = &self.signature {
            add(SIGNATURE_FILE, sig)?;
        }
        zip.finish().map_err(std::io::Error::other)?;
        Ok(())
    }

    /// Checks the vendor signature over the manifest (which pins the component digest).
    /// With trusted keys configured, an unsigned or wrongly signed bundle is refused.
    pub fn check_signature(&self, trusted: &[VerifyingKey]) -> Result<SignatureStatus, BundleError> {
        match (&self.signature, trusted.is_empty()) {
            (None, true) => Ok(SignatureStatus::Unsigned),
            (None, false) => Err(BundleError::Unsigned),
            (Some(_), true) => Ok(SignatureStatus::NotChecked),
            (Some(sig), false) => {
                let sig = decode_signature(sig)?;
                trusted
                    .iter()
                    .find(|k| k.verify(&self.manifest_bytes, &sig).is_ok())
                    .map(|k| SignatureStatus::Verified { key: hex::encode(k.as_bytes()) })
                    .ok_or(BundleError::BadSignature)
            }
        }
    }
}

/// The number of entries the archive's end-of-central-directory record declares (`None` for a
/// zip64 archive or when the record is not found; the zip crate then decides).
fn declared_entries<R: Read + std::io::Seek>(reader: &mut R) -> Option<usize> {
    use std::io::SeekFrom;
    let len = reader.seek(SeekFrom::End(0)).ok()?;
    // The record is 22 bytes, followed by a comment of at most 65,535 bytes.
    let tail = len.min(22 + 65_535);
    reader.seek(SeekFrom::Start(len - tail)).ok()?;
    let mut buf = Vec::with_capacity(tail as usize);
    reader.by_ref().take(tail).read_to_end(&mut buf).ok()?;
    reader.seek(SeekFrom::Start(0)).ok()?;
    let at = (0..buf.len().saturating_sub(21)).rev().find(|&i| buf[i..i + 4] == [0x50, 0x4b, 0x05, 0x06])?;
    let total = u16::from_le_bytes([buf[at + 10], buf[at + 11]]);
    (total != 0xffff).then_some(usize::from(total))
}

/// A zip entry name as tools may read it: compatibility forms folded (NFKC), case folded, `\\` as
/// `/`, no leading `./` or `/`, no trailing `/`.
fn normalised_entry_name(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let folded: String = name.nfkc().collect::<String>().to_lowercase().replace('\\', "/");
    let mut s = folded.as_str();
    loop {
        let before = s;
        s = s.trim_start_matches("./").trim_start_matches('/');
        if s == before {
            break;
        }
    }
    s.trim_end_matches('/').to_owned()
}

fn read_capped(path: &Path, name: &str, limit: u64) -> Result<Option<Vec<u8>>, BundleError> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(BundleError::Io { path: path.display().to_string(), source }),
    };
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| BundleError::Io { path: path.display().to_string(), source })?;
    if bytes.len() as u64 > limit {
        return Err(BundleError::TooLarge { name: name.into(), limit });
    }
    Ok(Some(bytes))
}

fn encode_signature(sig: &Signature) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.encode(sig.to_bytes()).into_bytes()
}

fn decode_signature(text: &[u8]) -> Result<Signature, BundleError> {
    let text = std::str::from_utf8(text).map_err(|_| BundleError::Encoding("signature is not base64 text".into()))?;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|e| BundleError::Encoding(format!("signature: {e}")))?;
    Signature::from_slice(&raw).map_err(|e| BundleError::Encoding(format!("signature: {e}")))
}

/// Parses a vendor public key given as 64 hex characters or base64.
pub fn parse_verifying_key(text: &str) -> Result<VerifyingKey, BundleError> {
    let text = text.trim();
    let raw = hex::decode(text)
        .ok()
        .or_else(|| base64::engine::general_purpose::STANDARD.decode(text).ok())
        .ok_or_else(|| BundleError::Encoding("a public key is 32 bytes in hex or base64".into()))?;
    let bytes: [u8; 32] =
        raw.try_into().map_err(|_| BundleError::Encoding("a public key is exactly 32 bytes".into()))?;
    VerifyingKey::from_bytes(&bytes).map_err(|e| BundleError::Encoding(e.to_string()))
}

/// Parses a vendor signing key (32-byte seed in hex), as written by `vivier plugin keygen`.
pub fn parse_signing_key(text: &str) -> Result<SigningKey, BundleError> {
    let raw =
        hex::decode(text.trim()).map_err(|_| BundleError::Encoding("a signing key is 64 hex characters".into()))?;
    let bytes: [u8; 32] =
        raw.try_into().map_err(|_| BundleError::Encoding("a signing key is exactly 32 bytes".into()))?;
    Ok(SigningKey::from_bytes(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::tests::SAMPLE;

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn sample(key_: Option<&SigningKey>) -> Bundle {
        Bundle::pack(Manifest::parse(SAMPLE).unwrap(), b"\0asm fake component".to_vec(), key_).unwrap()
    }

    #[test]
    fn digest_is_pinned() {
        let b = sample(None);
        let mut component = b.component.clone();
        component.push(0);
        assert!(matches!(
            Bundle::from_parts(b.manifest_bytes.clone(), component, None),
            Err(BundleError::DigestMismatch { .. })
        ));
    }

    #[test]
    fn signature_policy() {
        let vendor = key(7);
        let signed = sample(Some(&vendor));
        let unsigned = sample(None);
        let trusted = [vendor.verifying_key()];
        assert!(matches!(signed.check_signature(&trusted), Ok(SignatureStatus::Verified { .. })));
        assert_eq!(signed.check_signature(&[]).unwrap(), SignatureStatus::NotChecked);
        assert_eq!(unsigned.check_signature(&[]).unwrap(), SignatureStatus::Unsigned);
        assert!(matches!(unsigned.check_signature(&trusted), Err(BundleError::Unsigned)));
        assert!(matches!(signed.check_signature(&[key(8).verifying_key()]), Err(BundleError::BadSignature)));
        // A tampered manifest breaks the signature even with a matching digest.
        let mut tampered = signed.clone();
        tampered.manifest_bytes =
            String::from_utf8(tampered.manifest_bytes).unwrap().replace("ACME SAS", "EVIL").into_bytes();
        assert!(matches!(tampered.check_signature(&trusted), Err(BundleError::BadSignature)));
    }

    #[test]
    fn zip_round_trip_and_hostile_archives() {
        let dir = tempfile::tempdir().unwrap();
        let b = sample(Some(&key(1)));
        let path = dir.path().join("b.zip");
        b.write_zip(&path).unwrap();
        let back = Bundle::read(&path).unwrap();
        assert_eq!(back.digest, b.digest);
        assert!(back.signature.is_some());

        // An extra entry (e.g. a path traversal) is refused.
        use std::io::Write;
        let evil = dir.path().join("evil.zip");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&evil).unwrap());
        let opts = zip::write::SimpleFileOptions::default();
        zip.start_file(MANIFEST_FILE, opts).unwrap();
        zip.write_all(&b.manifest_bytes).unwrap();
        zip.start_file("../../etc/cron.d/x", opts).unwrap();
        zip.write_all(b"boom").unwrap();
        zip.finish().unwrap();
        assert!(matches!(Bundle::read(&evil), Err(BundleError::UnexpectedEntry(_))));

        // A compression bomb: a tiny archive whose manifest inflates past the limit.
        let bomb = dir.path().join("bomb.zip");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
        zip.start_file(
            MANIFEST_FILE,
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated),
        )
        .unwrap();
        zip.write_all(&vec![b' '; 8 << 20]).unwrap();
        zip.finish().unwrap();
        assert!(std::fs::metadata(&bomb).unwrap().len() < 64 << 10);
        assert!(matches!(Bundle::read(&bomb), Err(BundleError::TooLarge { .. })));

        // Two entries of one name (the writer refuses that, so the second name is patched into
        // the archive's bytes), or of names equal once normalised.
        for (first, second, patch) in [
            ("plugin.wasm", "plugin.wasX", Some("plugin.wasm")),
            ("plugin.wasm", "vivier-plugin.tomX", Some(MANIFEST_FILE)),
            ("plugin.wasm", "PLUGIN.wasm", None),
            ("plugin.wasm", "./plugin.wasm", None),
            ("plugin.wasm", "\u{ff50}lugin.wasm", None),
        ] {
            let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            zip.start_file(MANIFEST_FILE, opts).unwrap();
            zip.write_all(&b.manifest_bytes).unwrap();
            zip.start_file(first, opts).unwrap();
            zip.write_all(&b.component).unwrap();
            zip.start_file(second, opts).unwrap();
            zip.write_all(b"evil twin").unwrap();
            let mut bytes = zip.finish().unwrap().into_inner();
            if let Some(real) = patch {
                let (from, to) = (second.as_bytes(), real.as_bytes());
                let mut i = 0;
                while i + from.len() <= bytes.len() {
                    if &bytes[i..i + from.len()] == from {
                        bytes[i..i + from.len()].copy_from_slice(to);
                    }
                    i += 1;
                }
            }
            let dup = dir.path().join("dup.zip");
            std::fs::write(&dup, &bytes).unwrap();
            let got = Bundle::read(&dup);
            assert!(matches!(got, Err(BundleError::DuplicateEntry(_))), "{first} / {second}: {got:?}");
        }

        std::fs::write(dir.path().join("junk.zip"), b"not a zip").unwrap();
        assert!(matches!(Bundle::read(&dir.path().join("junk.zip")), Err(BundleError::Archive(_))));
    }
}
