//! How the CLI reports: diagnostics on stderr, the failure line, sizes.

use crate::core::diag::Diagnostic;

pub fn print_diags(diags: &[Diagnostic]) {
    for d in diags {
        eprintln!("{d}");
    }
}

pub fn report_failure(diags: &[Diagnostic]) -> i32 {
    print_diags(diags);
    let n = diags.iter().filter(|d| d.is_error()).count().max(1);
    eprintln!(
        "error: {n} error{} found; nothing was written",
        if n == 1 { "" } else { "s" }
    );
    1
}

pub fn human_bytes(n: usize) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MB", n as f64 / (1 << 20) as f64)
    } else if n >= 1 << 10 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{n} B")
    }
}
