//! Tests of disclosure control: the rules on worked tables, and a property test that plants
//! random tables and checks the audit against an exhaustive search of what a reader could infer.

use super::*;
use proptest::prelude::*;

/// Every way of filling the hidden cells that agrees with what is published (shown cells,
/// the total, hidden cells non-zero), and so each hidden cell's lowest and highest value.
fn exhaustive(cells: &[Shown], total: usize) -> Vec<(usize, usize, usize)> {
    let hidden: Vec<usize> = (0..cells.len()).filter(|i| !cells[*i].is_exact()).collect();
    let shown: usize = cells
        .iter()
        .map(|c| if let Shown::Exact(n) = c { *n } else { 0 })
        .sum();
    let rest = total - shown;
    let mut lo = vec![usize::MAX; hidden.len()];
    let mut hi = vec![0; hidden.len()];
    let mut values = vec![0; hidden.len()];
    fn fill(k: usize, left: usize, values: &mut Vec<usize>, lo: &mut [usize], hi: &mut [usize]) {
        if k + 1 == values.len() {
            if left >= 1 {
                values[k] = left;
                for (j, v) in values.iter().enumerate() {
                    lo[j] = lo[j].min(*v);
                    hi[j] = hi[j].max(*v);
                }
            }
            return;
        }
        for v in 1..=left {
            values[k] = v;
            fill(k + 1, left - v, values, lo, hi);
        }
    }
    if !hidden.is_empty() {
        fill(0, rest, &mut values, &mut lo, &mut hi);
    }
    hidden
        .into_iter()
        .enumerate()
        .map(|(k, i)| (i, lo[k], hi[k]))
        .collect()
}

#[test]
fn a_small_count_on_its_own_is_fewer_than_the_minimum() {
    assert_eq!(shown(0, 3), Shown::Exact(0));
    assert_eq!(shown(2, 3).to_string(), "fewer than 3");
    assert_eq!(shown(2, 3).data(), "<3");
    assert_eq!(shown(3, 3), Shown::Exact(3));
}

#[test]
fn one_small_cell_hides_enough_others_that_no_cell_can_be_worked_out() {
    use Shown::*;
    // 1 + 0 + 6 + 3 = 10: hiding 1 and 3 leaves 4 between them, 1 to 3 each: too narrow,
    // so 6 goes too: 10 over three cells, 1 to 8 each.
    assert_eq!(
        protect(&[1, 0, 6, 3], 3),
        Some(vec![Hidden, Exact(0), Hidden, Hidden])
    );
    // 1 and 4 hidden: 5 between them, 1 to 4 each, 3 wide.
    assert_eq!(
        protect(&[1, 4, 0, 9], 3),
        Some(vec![Hidden, Hidden, Exact(0), Exact(9)])
    );
    // Nothing small: nothing hidden.
    assert!(protect(&[4, 0, 6], 3).unwrap().iter().all(|s| s.is_exact()));
    // 1 and 2 of 3: no way to protect them: the table is withheld.
    assert_eq!(protect(&[1, 2, 0], 3), None);
}

#[test]
fn the_audit_fails_a_table_a_reader_could_narrow() {
    use Shown::*;
    // The old rule's output for 9 agencies: "fewer than 3" at one level, all else shown.
    let leaky = [Exact(0), Hidden, Exact(4), Exact(4)];
    assert_eq!(
        audit(&leaky, Some(9), 10, 3),
        Err(Narrow {
            cell: 1,
            low: 1,
            high: 1
        })
    );
    let two = [Hidden, Hidden, Exact(4), Exact(0)];
    assert!(audit(&two, Some(7), 10, 3).is_err(), "1 to 2 each");
    assert!(audit(&two, Some(9), 10, 3).is_ok(), "1 to 4 each");
}

#[test]
fn a_question_few_agencies_rated_publishes_nothing_of_their_answers() {
    let d = question(&[0, 2, 0, 0], &[0, 1, 1], 10, 3);
    assert!(!d.agencies_rating && !d.exact);
    assert_eq!((d.levels, d.confidence), (None, None));
    assert_eq!(d.rated, Shown::FewerThan(3));
    // A cycle two agencies took part in: not even how many rated.
    let d = question(&[0, 1, 1, 0], &[1, 1, 0], 2, 3);
    assert_eq!(d.rated, Shown::Hidden);
    // Nine agencies, a small count at one level: the breakdown is protected and nothing
    // exact (mean, score) may sit beside it.
    let d = question(&[0, 1, 4, 4], &[3, 3, 3], 10, 3);
    assert!(d.agencies_rating && !d.exact);
    let d = question(&[0, 3, 6, 0], &[3, 3, 3], 10, 3);
    assert!(d.exact);
}

#[test]
fn small_groups_merge_into_other_groups_until_it_meets_the_minimum() {
    let g = |name: &str, n: usize| (name.to_string(), n, n);
    let merged = merge_small(
        &[g("A", 12), g("B", 3), g("C", 4), g("D", 20)],
        10,
        |a, b| a + b,
    );
    // B and C (7) are too few together, so the smallest named group (A) joins them.
    let names: Vec<(&str, usize)> = merged.iter().map(|(n, c, _)| (n.as_str(), *c)).collect();
    assert_eq!(names, [("D", 20), ("Other groups", 19)]);
    let merged = merge_small(&[g("A", 12), g("B", 11)], 10, |a, b| a + b);
    assert_eq!(merged.len(), 2, "nothing small, nothing merged");
}

#[test]
fn age_bands_merge_with_their_neighbours_until_each_has_enough_cases() {
    // Under 1: 6, 1-4: 2, 5-9: 0, 10-15: 1 → under 1 (6), then 1-4 to 10-15 (3) too few:
    // they join the band before.
    assert_eq!(merge_bands(&[6, 2, 0, 1, 0], 5), vec![(0, 3, 9)]);
    assert_eq!(
        merge_bands(&[2, 3, 5, 0, 6], 5),
        vec![(0, 1, 5), (2, 2, 5), (4, 4, 6)]
    );
    assert_eq!(merge_bands(&[1, 1, 0, 0, 0], 5), vec![]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Random tables (agencies at each level of a 4- or 5-level scale, or at each of three
    /// confidences): whatever `protect` publishes, an exhaustive search of what a reader could
    /// infer from the shown cells and the total finds every hidden cell's interval at least
    /// the minimum wide, and the audit computes exactly that interval.
    #[test]
    fn what_protect_publishes_passes_an_exhaustive_attack(
        counts in prop::collection::vec(0usize..9, 3..6),
        min in 3usize..6,
    ) {
        let total: usize = counts.iter().sum();
        if let Some(cells) = protect(&counts, min) {
            let found = exhaustive(&cells, total);
            prop_assert_eq!(&found, &intervals(&cells, Some(total), total));
            for (cell, low, high) in found {
                prop_assert!(high - low >= min, "cell {} of {:?} narrows to {}..{}", cell, counts, low, high);
            }
            prop_assert!(audit(&cells, Some(total), total, min).is_ok());
            for (c, s) in counts.iter().zip(&cells) {
                if *c > 0 && *c < min {
                    prop_assert!(!s.is_exact(), "a small count is shown: {:?}", counts);
                }
            }
        }
    }

    /// The audit agrees with the exhaustive search on any mark-up of a table, not only those
    /// `protect` makes: it never passes a table a reader could narrow.
    #[test]
    fn the_audit_matches_an_exhaustive_search(
        counts in prop::collection::vec(1usize..7, 2..5),
        hide in prop::collection::vec(any::<bool>(), 5),
        min in 3usize..5,
    ) {
        let total: usize = counts.iter().sum();
        let cells: Vec<Shown> = counts
            .iter()
            .zip(&hide)
            .map(|(&n, &h)| if h { Shown::Hidden } else { Shown::Exact(n) })
            .collect();
        let found = exhaustive(&cells, total);
        let narrow = found.iter().any(|(_, lo, hi)| hi - lo < min);
        prop_assert_eq!(audit(&cells, Some(total), total, min).is_err(), narrow);
    }
}
