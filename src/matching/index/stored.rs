//! The index as a compiled ruleset stores it (see [`crate::artifact`]): its tables
//! written as they are and read back as they were, with nothing normalized, keyed or
//! sorted again. Only the tables are stored; the per-thread memo of similar words is
//! told apart by a fresh id.

use super::{name_word, Inner, NameIndex, GIVEN_NAME_BIT, NEXT_INDEX_ID};

impl NameIndex {
    /// Appends the index's tables to `out`.
    pub(crate) fn store(&self, out: &mut Vec<u8>) -> Result<(), String> {
        let bytes = postcard::to_allocvec(&*self.inner).map_err(|e| e.to_string())?;
        out.extend_from_slice(&bytes);
        Ok(())
    }

    /// The index [`NameIndex::store`] wrote, or why `bytes` are not one. Tables that do
    /// not fit together (offsets past their arrays) are refused here, so that a search
    /// never meets them.
    pub(crate) fn load_stored(bytes: &[u8]) -> Result<NameIndex, String> {
        let mut inner: Inner = postcard::from_bytes(bytes).map_err(|e| e.to_string())?;
        check(&inner)?;
        inner.id = NEXT_INDEX_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(NameIndex {
            inner: std::sync::Arc::new(inner),
        })
    }
}

/// Whether offset table `off` (one more entry than `items`, rising) fits `len`.
fn offsets_fit(off: &[u32], items: usize, len: usize) -> bool {
    off.len() == items + 1
        && off.windows(2).all(|w| w.first() <= w.get(1))
        && off.last().is_some_and(|&l| l as usize <= len)
}

/// The consistency of the tables the searches read by position.
fn check(i: &Inner) -> Result<(), String> {
    let words = i.vocab.len();
    let names = i.names.len();
    let fits = [
        (
            "postings",
            offsets_fit(&i.post_off, words, i.postings.len()),
        ),
        ("posting splits", i.post_split.len() == words),
        ("word weights", i.vweight.len() == words),
        ("word letters", i.letters.len() == words),
        ("word signatures", i.word_gram_sig.len() == words),
        (
            "word trigrams",
            offsets_fit(&i.word_gram_off, words, i.word_grams.len()),
        ),
        (
            "name words",
            offsets_fit(&i.name_tok_off, names, i.name_tok_ids.len())
                && i.name_tok_pos.len() == i.name_tok_ids.len(),
        ),
        ("name weights", i.name_wsum.len() == names),
        (
            "name runs",
            offsets_fit(&i.name_run_off, names, i.name_runs.len())
                && i.name_run_spelled.len() == i.name_runs.len()
                && i.name_run_sums.len() == names,
        ),
        (
            "word ids",
            i.postings.iter().all(|&n| (n as usize) < names)
                && i.names
                    .iter()
                    .all(|n| n.toks.iter().all(|&t| (t as usize) < words))
                && i.name_tok_ids
                    .iter()
                    .all(|&(t, w)| (name_word(t, w).0 as usize) < words)
                && words < GIVEN_NAME_BIT as usize
                && [&i.by_text, &i.by_key, &i.by_skeleton, &i.by_stem]
                    .into_iter()
                    .chain([&i.by_consonants, &i.deletes, &i.pivots])
                    .all(|g| g.all_ids().iter().all(|&t| (t as usize) < words))
                && i.by_run.all_ids().iter().all(|&n| (n as usize) < names),
        ),
    ];
    for t in [&i.by_text, &i.by_key, &i.by_run, &i.by_skeleton, &i.by_stem] {
        t.check()?;
    }
    for t in [&i.by_consonants, &i.deletes, &i.pivots] {
        t.check()?;
    }
    match fits.iter().find(|(_, ok)| !ok) {
        Some((what, _)) => Err(format!("the name index's {what} do not fit together")),
        None => Ok(()),
    }
}
