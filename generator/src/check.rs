//! Checks: every problem of a product spec, found in one pass, before anything is generated.
use crate::diag::Diagnostics;
use crate::load::ProductSpec;

/// Records every problem of `spec` in `diags`.
pub fn check(spec: &ProductSpec, diags: &mut Diagnostics) {
    let _ = (spec, diags);
}
