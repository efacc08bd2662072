//! `enishi serve`: in-memory builds, incremental after the first one.

use std::time::Instant;

use super::report::print_diags;
use super::{build_options, members_passphrase, BuildArgs, ServeArgs};

/// `enishi serve`: in-memory builds, incremental after the first one (see
/// [`crate::pipeline::incremental`]), with `base_url` =
/// the address actually bound, so every link stays on the dev server.
pub(super) fn cmd_serve(args: ServeArgs) -> i32 {
    let serve_opts = crate::serve::ServeOptions {
        root: args.root.clone(),
        bind: args.bind,
        port: args.port,
    };
    let mut opts = build_options(&BuildArgs {
        root: args.root.clone(),
        output: None,
        base_url: None,
        drafts: args.drafts,
        now: args.now,
        timings: false,
        locked: false,
    });
    let root = args.root;
    // Kept between rebuilds: unchanged documents, Markdown and pages are reused.
    let mut state = crate::pipeline::incremental::Incremental::new();
    // Per-phase times of every rebuild, for measuring (`tests/bench_serve.py`).
    let show_timings = std::env::var_os("ENISHI_SERVE_TIMINGS").is_some_and(|v| !v.is_empty());
    crate::serve::serve(serve_opts, move |changes| {
        opts.base_url = Some(changes.base_url.clone());
        // Re-read each time: site.yaml may have changed the variable's name.
        opts.members_passphrase = members_passphrase(&root);
        let mut timings = crate::pipeline::Timings::default();
        let start = Instant::now();
        state.note_changes(&root, &changes.paths);
        let (built, search) = state.build_deferred(&opts, &mut timings);
        if show_timings {
            eprintln!(
                "  {timings}; total {} ms; {:?}",
                start.elapsed().as_millis(),
                state.work()
            );
        }
        let built = built?;
        print_diags(&built.warnings);
        Ok(crate::serve::Rebuilt {
            tree: built.tree,
            later: search.map(|job| crate::serve::Later {
                run: Box::new(move || job.run()),
                replaces: crate::pipeline::incremental::is_search_index_file,
            }),
        })
    })
}
