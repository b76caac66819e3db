//! ACS3-HMAC-SHA256 request signing (Alibaba Cloud signature V3).
//!
//! ```text
//! CanonicalRequest = METHOD \n / \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HexSha256(body)
//! StringToSign     = "ACS3-HMAC-SHA256" \n HexSha256(CanonicalRequest)
//! Signature        = Hex(HMAC-SHA256(secret, StringToSign))
//! ```
//! Signed headers are `host`, `content-type` and every `x-acs-*` header sent, lower-cased,
//! sorted, values trimmed.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The signature algorithm's name, as it appears in `Authorization`.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Lower-case hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Lower-case hex HMAC-SHA256 of `msg` under `key`.
pub fn hmac_sha256_hex(key: &[u8], msg: &[u8]) -> String {
    // HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => unreachable_hmac(),
    };
    mac.update(msg);
    hex::encode(mac.finalize().into_bytes())
}

#[cold]
fn unreachable_hmac() -> ! {
    unreachable!("HMAC-SHA256 takes keys of any length")
}

/// Whether a header takes part in the signature.
pub fn is_signed_header(lower_name: &str) -> bool {
    lower_name == "host" || lower_name == "content-type" || lower_name.starts_with("x-acs-")
}

/// The parts of a signature, kept for debugging a mismatch (compare `string_to_sign` with the
/// one the service quotes in `SignatureDoesNotMatch`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// `SignedHeaders`, `;`-joined.
    pub signed_headers: String,
    /// The hex signature.
    pub signature: String,
}

impl Signature {
    /// The `Authorization` header value for `access_key_id`.
    pub fn authorization(&self, access_key_id: &str) -> String {
        format!(
            "{ALGORITHM} Credential={access_key_id},SignedHeaders={},Signature={}",
            self.signed_headers, self.signature
        )
    }
}

/// Signs a request.
///
/// `canonical_query` is the sorted RFC 3986 query ([`crate::wire::ParamList::write_encoded`] of a
/// sorted list); `headers` are every header to be sent (name, value), of which the signed ones
/// are picked; `payload_hash` is [`sha256_hex`] of the body.
pub fn sign(
    method: &str,
    canonical_query: &str,
    headers: &[(&str, &str)],
    payload_hash: &str,
    access_key_secret: &str,
) -> Signature {
    let mut signed: Vec<(String, &str)> = headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim()))
        .filter(|(n, _)| is_signed_header(n))
        .collect();
    signed.sort_by(|a, b| a.0.cmp(&b.0));
    // Headers sent twice are signed once, values comma-joined in sorted order.
    let mut merged: Vec<(String, String)> = Vec::with_capacity(signed.len());
    for (n, v) in signed {
        match merged.last_mut() {
            Some((last, vals)) if *last == n => {
                vals.push(',');
                vals.push_str(v);
            }
            _ => merged.push((n, v.to_owned())),
        }
    }
    let mut canonical = String::with_capacity(
        64 + canonical_query.len()
            + merged
                .iter()
                .map(|(n, v)| n.len() + v.len() + 2)
                .sum::<usize>()
                * 2,
    );
    canonical.push_str(&method.to_ascii_uppercase());
    canonical.push_str("\n/\n");
    canonical.push_str(canonical_query);
    canonical.push('\n');
    for (n, v) in &merged {
        canonical.push_str(n);
        canonical.push(':');
        canonical.push_str(v);
        canonical.push('\n');
    }
    canonical.push('\n');
    let signed_headers = merged
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(";");
    canonical.push_str(&signed_headers);
    canonical.push('\n');
    canonical.push_str(payload_hash);
    let string_to_sign = format!("{ALGORITHM}\n{}", sha256_hex(canonical.as_bytes()));
    let signature = hmac_sha256_hex(access_key_secret.as_bytes(), string_to_sign.as_bytes());
    Signature {
        canonical_request: canonical,
        string_to_sign,
        signed_headers,
        signature,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_sanity() {
        assert_eq!(
            sha256_hex(b"test"),
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        );
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn sdk_unit_vector_with_duplicate_headers() {
        // aliyun darabonba-openapi test_get_authorization: GET, query {test: ok, empty: ""},
        // headers x-acs-test: http and x-acs-TEST: https.
        let sig = sign(
            "GET",
            "empty=&test=ok",
            &[("x-acs-test", "http"), ("x-acs-TEST", "https")],
            "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23",
            "secret",
        );
        assert_eq!(
            sig.authorization("acesskey"),
            "ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test,Signature=d16b30a7699ae9e43875b13195b2f81bcc3ed10c14a9b5eb780e51619aa50be1"
        );
    }
}
