//! The one error type of the library and the CLI. Every error is reported as one line and
//! exits with code 2 (see `crate::cli`); verdicts are not errors.

/// Errors: bad input, I/O, malformed certificates, numerical failure.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A user input outside what is accepted.
    #[error("{input}: {problem}; accepted: {accepted}")]
    BadInput {
        /// The input, as the user wrote it (e.g. `--d 2`).
        input: String,
        /// What is wrong with it.
        problem: String,
        /// What would be accepted.
        accepted: String,
    },
    /// A file could not be read or written.
    #[error("{path}: {message}")]
    Io {
        /// The path.
        path: String,
        /// The system's message.
        message: String,
    },
    /// A certificate file that does not parse or does not follow the format.
    #[error("{path}: malformed certificate: {why}")]
    Malformed {
        /// The path.
        path: String,
        /// What is wrong.
        why: String,
    },
    /// A computation that could not produce its result (not a verdict).
    #[error("{0}")]
    Numerical(String),
}

impl Error {
    /// Exact: a bad-input error (an input longer than 80 characters is cut, so the
    /// message stays one readable line).
    pub fn bad_input(
        input: impl Into<String>,
        problem: impl Into<String>,
        accepted: impl Into<String>,
    ) -> Self {
        Error::BadInput {
            input: cut(&input.into()),
            problem: problem.into(),
            accepted: accepted.into(),
        }
    }

    /// Exact: a malformed-certificate error; every overlong value quoted in `why` is cut
    /// ([`cut_quoted`]), so a 1 MB value in a file never becomes a 1 MB message.
    pub fn malformed(path: impl std::fmt::Display, why: impl AsRef<str>) -> Self {
        Error::Malformed {
            path: path.to_string(),
            why: cut_quoted(why.as_ref()),
        }
    }

    /// Exact: an I/O error for a path.
    pub fn io(path: impl std::fmt::Display, e: impl std::fmt::Display) -> Self {
        Error::Io {
            path: path.to_string(),
            message: e.to_string(),
        }
    }
}

/// Result with [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Exact: `s` itself when at most 80 characters long, else its first 60 characters and
/// how long it was (a 100 kB input must not become a 100 kB message).
pub fn cut(s: &str) -> String {
    let n = s.chars().count();
    if n <= 80 {
        s.to_string()
    } else {
        let head: String = s.chars().take(60).collect();
        format!("{head}... ({n} characters)")
    }
}

/// Exact: a message line with every overlong quoted input in it cut (see [`cut`]); the
/// line itself is cut at 300 characters.
pub fn cut_line(line: &str) -> String {
    let parts: Vec<String> = line.split('\'').map(cut).collect();
    let joined = parts.join("'");
    if joined.chars().count() > 300 {
        let head: String = joined.chars().take(280).collect();
        format!("{head}...")
    } else {
        joined
    }
}

/// Exact: `line` with every `'...'`-quoted part longer than 80 characters cut (see [`cut`]),
/// the text between quotes kept; the result is cut at 400 characters.
pub fn cut_quoted(line: &str) -> String {
    let parts: Vec<String> = line
        .split('\'')
        .enumerate()
        .map(|(i, p)| if i % 2 == 1 { cut(p) } else { p.to_string() })
        .collect();
    let joined = parts.join("'");
    if joined.chars().count() > 400 {
        let head: String = joined.chars().take(380).collect();
        format!("{head}...")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_are_cut_and_the_words_between_kept() {
        let long = "7".repeat(1_000_000);
        let line = format!("radius '{long}' is not a decimal number (ASCII digits, at most 10000 characters, exponent within +-10000)");
        let cut = cut_quoted(&line);
        assert!(cut.starts_with(&format!(
            "radius '{}... (1000000 characters)'",
            "7".repeat(60)
        )));
        assert!(cut.ends_with("exponent within +-10000)"), "{cut}");
        assert_eq!(cut_quoted("short 'x' words"), "short 'x' words");
        let many = format!("'{}' ", "a".repeat(70)).repeat(20);
        assert!(cut_quoted(&many).chars().count() <= 403);
    }
}
