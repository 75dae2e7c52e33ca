//! Mandatory mentions of a public-service vacancy notice (décret n° 2018-1351, art. 3): the
//! check is `vivier_lint::mentions`; this module reads the request values it needs from the
//! host's [`DraftRequest`].

pub use vivier_lint::mentions::{Facts, Mention, ARTICLE, MENTIONS};

use crate::model::DraftRequest;

/// The request values an ad may repeat to give a mention.
pub fn facts(r: &DraftRequest) -> Facts<'_> {
    Facts {
        categorie: r.categorie.as_deref(),
        cadre_emplois: r.cadre_emplois.as_deref(),
        employer: r.employer.as_deref(),
        service: r.service.as_deref(),
        location: r.location.as_deref(),
        contact: r.contact.as_deref(),
    }
}

/// The mandatory items the ad lacks. Lines still holding a placeholder ("à compléter") do not count.
pub fn missing(title: &str, markdown: &str, request: Option<&DraftRequest>) -> Vec<Mention> {
    vivier_lint::mentions::missing(title, markdown, &request.map(facts).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_values_count_as_mentions() {
        let request = DraftRequest {
            job_title: "Agent (F/H)".into(),
            location: Some("Saint-Ormeau".into()),
            ..Default::default()
        };
        let ids = |r: Option<&DraftRequest>| -> Vec<&str> {
            missing("Agent (F/H)", "Bonjour de Saint-Ormeau.", r).iter().map(|m| m.id).collect()
        };
        assert!(ids(None).contains(&"location"));
        assert!(!ids(Some(&request)).contains(&"location"));
    }
}
