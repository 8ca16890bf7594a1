//! Mimetypes as the event model compares them: by type and subtype, parameters aside.

/// The essence of a mimetype (RFC 6838 §4.2, RFC 9110 §8.3.1): its `type/subtype`, without
/// parameters or surrounding whitespace, as sent (case is kept; compare with
/// [`same_mimetype`]).
///
/// ```
/// assert_eq!(exev::mimetype_essence(" text/plain; charset=utf-8"), "text/plain");
/// assert_eq!(exev::mimetype_essence("image/png"), "image/png");
/// ```
pub fn mimetype_essence(mimetype: &str) -> &str {
    mimetype.split(';').next().unwrap_or_default().trim()
}

/// Whether two mimetypes name the same type and subtype: compared without parameters and
/// without regard to ASCII case, as RFC 9110 §8.3.1 says media types compare.
///
/// ```
/// assert!(exev::same_mimetype("text/plain; charset=utf-8", "TEXT/PLAIN"));
/// assert!(!exev::same_mimetype("text/plain", "text/html"));
/// ```
pub fn same_mimetype(a: &str, b: &str) -> bool {
    mimetype_essence(a).eq_ignore_ascii_case(mimetype_essence(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_and_case_do_not_matter() {
        assert!(same_mimetype("text/html;charset=UTF-8", "text/html"));
        assert!(same_mimetype("Audio/Ogg; codecs=opus", "audio/ogg"));
        assert!(!same_mimetype("text/plain", "text/plain+x"));
        assert!(!same_mimetype("", "text/plain"));
        assert_eq!(mimetype_essence(";"), "");
    }
}
