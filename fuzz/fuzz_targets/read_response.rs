//! Reading a response from any bytes, as every format, then finding and
//! normalising its answers: an error message is fine, a panic is not.
#![no_main]

use ahq::reading::{Format, Limits, read_bytes};
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

const QUERY: &str = r#"
title = "T"
requested_by = "AT"
requested_on = 2010-07-26
[[questions]]
id = "1"
text = "Do you currently have a Migration Partnership?"
type = "yes-no"
[[questions]]
id = "2"
text = "Which countries?"
"#;

fn query() -> &'static ahq::query::Query {
    static Q: OnceLock<ahq::query::Query> = OnceLock::new();
    Q.get_or_init(|| {
        ahq::query::Query::parse(Path::new("q"), Path::new("q/query.toml"), QUERY).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_file_bytes: 1 << 20,
        max_cells: 20_000,
        max_inflated_bytes: 8 << 20,
        max_answer_chars: 100_000,
        isolation: None,
    };
    let countries = ahq::country::Countries::builtin().unwrap();
    for format in [Format::Xlsx, Format::Xls, Format::Ods, Format::Csv] {
        let Ok(wb) = read_bytes(data, format, &limits) else {
            continue;
        };
        let Ok(located) = ahq::layout::locate(&wb, query()) else {
            continue;
        };
        for raw in &located.responses {
            let src = ahq::normalise::Source {
                file: "fuzz",
                sha256: "",
                restricted: &[],
            };
            let _ = ahq::normalise::normalise(raw, query(), countries, &src);
        }
    }
});
