//! Every precision the CLI accepts works: certify at every multiple of 8 from 64 to 2048
//! bits at d = 10 (through the library), and certify and eval through the binary at a few
//! precisions up to 8192 (the f64 merit of Newton used to underflow at 1024..1072 bits).

mod common;

use relucert::prove::{certify_family, critical_point::Verdict};
use relucert::search::families::Family;

#[test]
fn certify_succeeds_at_every_multiple_of_8_from_64_to_2048_bits() {
    let mut done = 0;
    for prec in (64..=2048).step_by(8) {
        let c = certify_family(Family::II, 10, prec).unwrap_or_else(|e| panic!("prec {prec}: {e}"));
        assert_eq!(c.proof.verdict, Verdict::StrictLocalMinimum, "prec {prec}");
        assert!(c.proof.min_eigenvalue.separated, "prec {prec}");
        done += 1;
    }
    assert_eq!(done, (2048 - 64) / 8 + 1);
}

#[test]
fn certify_and_eval_through_the_binary_up_to_8192_bits() {
    for prec in ["64", "1024", "1048", "1072", "4096", "8192"] {
        for cmd in ["certify", "eval"] {
            let (code, out, err) =
                common::relucert(&[cmd, "--family", "II", "--d", "10", "--prec", prec, "--json"]);
            assert_eq!(code, 0, "{cmd} --prec {prec}: {err}");
            let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
            assert!(v.is_object(), "{cmd} --prec {prec}");
        }
    }
}

#[test]
fn eval_encloses_at_every_multiple_of_8_from_64_to_2048_bits() {
    use relucert::prove::evaluate::evaluate_at;
    let loc = relucert::search::families::locate(Family::II, 10.0, None).unwrap();
    let mut done = 0;
    for prec in (64..=2048).step_by(8) {
        let e = evaluate_at(&loc.partition, &loc.found.theta, prec)
            .unwrap_or_else(|err| panic!("prec {prec}: {err}"));
        // The loss enclosure is tight to about the working precision.
        let w = e.jet.v.width().to_f64();
        assert!(
            w < 2f64.powi(-(prec.min(1000) as i32) + 20),
            "prec {prec}: width {w}"
        );
        assert_eq!(e.jet.g.len(), loc.partition.dim());
        done += 1;
    }
    assert_eq!(done, 249);
}
