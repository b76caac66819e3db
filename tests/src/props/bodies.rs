//! Response and error bodies.

use super::*;

/// The most an error's `Display` may take, whatever the body: the excerpt is at most 200
/// characters (each escaped to at most 10 bytes) and the reason is bounded too.
pub const MAX_ERROR_DISPLAY: usize = 4096;

/// Any bytes as the body of a response (the status, from 200 to 599, is taken from the first
/// byte): decoding it as either operation's success response, and as the error envelope, never
/// panics; an [`InvalidResponse`] keeps the status, a bounded excerpt and a `Display` of at
/// most [`MAX_ERROR_DISPLAY`] bytes; a parsed error has a trimmed, non-empty code, its typed
/// errors agree with it, and its `Display` is no longer than the body plus its own framing.
pub fn bodies(data: &[u8]) {
    let status = 200 + u16::from(data.first().copied().unwrap_or(0)) % 400;
    if let Err(e) = decode_success::<ModifyVpnConnectionAttributeResponse>(status, data) {
        check_invalid_response(&e, status);
    }
    if let Err(e) = decode_success::<DescribeVpnGatewayResponse>(status, data) {
        check_invalid_response(&e, status);
    }
    match ServiceErrorMeta::from_response(status, data) {
        Err(e) => check_invalid_response(&e, status),
        Ok(meta) => {
            assert_eq!(meta.status, status);
            assert!(
                !meta.code.is_empty() && meta.code.trim() == meta.code,
                "code {:?} is empty or untrimmed",
                meta.code
            );
            let shown = meta.to_string();
            assert!(
                shown.len() <= data.len() + 64,
                "the error shows {} bytes for a body of {}",
                shown.len(),
                data.len()
            );
            let typed = ModifyVpnConnectionAttributeError::from_meta(meta.clone(), &modify::META);
            assert_eq!(typed.code(), meta.code);
            assert_eq!(typed.http_status(), status);
            assert_eq!(typed.request_id(), meta.request_id.as_deref());
            assert_eq!(typed.to_string(), shown);
            assert_eq!(typed.meta(), &meta);
            // The product enum knows the code exactly when some operation documents it.
            let known = alicloud_vpc::ErrorCode::from_code(&meta.code);
            assert_eq!(typed.kind(), known);
            if let Some(k) = known {
                assert_eq!(k.as_str(), meta.code);
            }
            let documented = modify::META.errors.iter().find(|i| i.code == meta.code);
            assert_eq!(typed.is_documented(), documented.is_some());
            assert_eq!(
                typed.is_retryable(),
                documented
                    .and_then(|i| i.retryable)
                    .unwrap_or(status >= 500 || meta.code.starts_with("Throttling"))
            );
            let typed = DescribeVpnGatewayError::from_meta(
                meta.clone(),
                &alicloud_vpc::operation::describe_vpn_gateway::META,
            );
            assert_eq!(typed.code(), meta.code);
            assert_eq!(typed.to_string(), shown);
            assert_eq!(typed.kind(), known);
        }
    }
}

fn check_invalid_response(e: &InvalidResponse, status: u16) {
    assert_eq!(e.status, status);
    assert!(
        e.excerpt.chars().count() <= 201,
        "excerpt of {} characters",
        e.excerpt.chars().count()
    );
    let shown = e.to_string();
    assert!(
        shown.len() <= MAX_ERROR_DISPLAY,
        "an invalid response shows {} bytes: {}…",
        shown.len(),
        shown.chars().take(300).collect::<String>()
    );
}
