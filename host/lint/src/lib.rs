//! # vivier-lint
//!
//! The job-ad linter of Vivier, as pure text logic shared by the host (which runs it on every
//! request and draft, and in `vivier lint`) and by the template drafter plugin (which keeps
//! flagged passages out of its ad). One copy of the rules, so the two never disagree.
//!
//! It reads what people read: before matching, a text is normalised ([`normalize`]: NFKC,
//! format characters removed, look-alike letters of other scripts mapped to Latin, letter-spacing
//! and dotted letters undone), and every hit is mapped back to the original words.
//!
//! - [`Criterion`]: the protected criteria, their warning codes, articles and French messages;
//! - [`rules::check`]: the discriminatory phrasings found in a text;
//! - [`notes`]: internal remarks of recruiter notes and their leaks into an ad;
//! - [`title`]: job titles that name one sex;
//! - [`mentions`]: the mandatory mentions of décret n° 2018-1351, art. 3;
//! - [`text`]: folding, words, sentences and excerpts.
//!
//! No I/O and no host types: it builds for wasm32-wasip2.

pub mod criteria;
pub mod mentions;
pub mod normalize;
pub mod notes;
pub mod rules;
mod spacing;
pub mod text;
pub mod title;

pub use criteria::Criterion;
pub use normalize::{normalize, Normalized};
pub use rules::{check, Finding};

#[cfg(test)]
mod tests;
