//! Finding the markers `pep508_rs` 0.9.2 panics on, before it sees them.
//!
//! After each marker expression, `pep508_rs` looks at the next word to see whether it is `and`
//! or `or`. It measures the word in characters but cuts it out of the text in bytes, so when
//! the word holds a multi-byte character the cut can land inside one and the process panics
//! (`os_name == 'nt' aé`, `(os_name == 'nt')é`; found by the `pep508` fuzz target,
//! `testdata/bad/fuzz-crashers/pep508-marker-utf8`). No valid marker has such a word there: the
//! word that follows an expression is `and`, `or`, `)` or nothing.
//!
//! [`unaligned_word`] walks a marker the way `pep508_rs`'s parser does (`marker_or`,
//! `marker_and`, `marker_expr`, `marker_var marker_op marker_var`) and returns the first such
//! word it reaches. It may keep walking where `pep508_rs` would already have stopped with an
//! error (it does not check marker names, operators or versions): an input it flags is then
//! invalid either way, so reporting it as an error is right. It never stops earlier than
//! `pep508_rs`, which is what makes an input it passes safe to hand over.

/// Why the walk stopped early.
enum Stop {
    /// `pep508_rs` would panic on the word at this byte range.
    Unaligned { start: usize, end: usize },
    /// `pep508_rs` reports an error here, before reaching any later word.
    Invalid,
}

/// A word after a marker expression that would make `pep508_rs` panic, as a byte range of
/// `text`, when the marker starts at byte `start` of `text` (at the character after `;` in a
/// requirement).
pub(crate) fn unaligned_word(text: &str, start: usize) -> Option<(usize, usize)> {
    let mut walk = Walk { text, pos: start };
    match walk.marker_or() {
        Err(Stop::Unaligned { start, end }) => Some((start, end)),
        Ok(()) | Err(Stop::Invalid) => None,
    }
}

/// A cursor over the text, in bytes, moving a character at a time as `pep508_rs`'s does.
struct Walk<'a> {
    text: &'a str,
    pos: usize,
}

impl Walk<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let char = self.peek()?;
        self.pos += char.len_utf8();
        Some(char)
    }

    fn skip_while(&mut self, keep: impl Fn(char) -> bool) {
        while self.peek().is_some_and(&keep) {
            self.bump();
        }
    }

    fn skip_whitespace(&mut self) {
        self.skip_while(char::is_whitespace);
    }

    /// `marker_or = marker_and ('or' marker_and)*`
    fn marker_or(&mut self) -> Result<(), Stop> {
        self.chain("or", Self::marker_and)
    }

    /// `marker_and = marker_expr ('and' marker_expr)*`
    fn marker_and(&mut self) -> Result<(), Stop> {
        self.chain("and", Self::marker_expr)
    }

    /// `pep508_rs`'s `parse_marker_op`: after each operand, the next word is measured in
    /// characters and cut out in bytes; that cut is where it panics.
    fn chain(
        &mut self,
        keyword: &str,
        operand: fn(&mut Self) -> Result<(), Stop>,
    ) -> Result<(), Stop> {
        operand(self)?;
        loop {
            self.skip_whitespace();
            let start = self.pos;
            let characters = self.text[start..]
                .chars()
                .take_while(|char| !char.is_whitespace())
                .count();
            let end = start + characters;
            if !self.text.is_char_boundary(end) {
                let word = self.text[start..]
                    .find(char::is_whitespace)
                    .unwrap_or(self.text.len() - start);
                return Err(Stop::Unaligned {
                    start,
                    end: start + word,
                });
            }
            if &self.text[start..end] != keyword {
                return Ok(());
            }
            self.skip_while(|char| !char.is_whitespace());
            operand(self)?;
        }
    }

    /// `marker_expr = '(' marker_or ')' | marker_var marker_op marker_var`
    fn marker_expr(&mut self) -> Result<(), Stop> {
        self.skip_whitespace();
        if self.peek() == Some('(') {
            self.bump();
            self.marker_or()?;
            return match self.bump() {
                Some(')') => Ok(()),
                _ => Err(Stop::Invalid),
            };
        }
        self.marker_var()?;
        self.skip_whitespace();
        self.marker_op()?;
        self.skip_whitespace();
        self.marker_var()
    }

    /// A quoted string or a marker name (the name is not checked: see the module docs).
    fn marker_var(&mut self) -> Result<(), Stop> {
        match self.peek() {
            None => Err(Stop::Invalid),
            Some(quote @ ('"' | '\'')) => {
                self.bump();
                self.skip_while(|char| char != quote);
                match self.bump() {
                    Some(_) => Ok(()),
                    None => Err(Stop::Invalid),
                }
            }
            Some(_) => {
                self.skip_while(|char| {
                    !char.is_whitespace() && !['>', '=', '<', '!', '~', ')'].contains(&char)
                });
                Ok(())
            }
        }
    }

    /// A comparison operator, `in` or `not in` (the operator is not checked, except for the
    /// characters `not in` consumes).
    fn marker_op(&mut self) -> Result<(), Stop> {
        if self.peek().is_some_and(char::is_alphabetic) {
            let start = self.pos;
            self.skip_while(|char| !char.is_whitespace() && char != '\'' && char != '"');
            if &self.text[start..self.pos] == "not" {
                if !self.bump().is_some_and(char::is_whitespace) {
                    return Err(Stop::Invalid);
                }
                self.skip_whitespace();
                if self.bump() != Some('i') || self.bump() != Some('n') {
                    return Err(Stop::Invalid);
                }
            }
        } else {
            self.skip_while(|char| matches!(char, '<' | '=' | '>' | '~' | '!'));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_words_pep508_rs_cuts_inside_a_character() {
        assert_eq!(unaligned_word("os_name == 'nt' aé", 0), Some((16, 19)));
        assert_eq!(unaligned_word("(os_name == 'nt')é", 0), Some((16, 19)));
        assert_eq!(
            unaligned_word("a ; os_name == 'nt' x'éé'", 3),
            Some((20, 27))
        );
        // After `or`, pep508_rs reads `x'éé'` as a marker name and rejects it: no word follows.
        assert_eq!(unaligned_word("a ; os_name == 'nt' or x'éé'", 3), None);
        assert_eq!(
            unaligned_word("os_name == 'nt' and (python_version < '3' xéé)", 0),
            Some((42, 48))
        );
    }

    #[test]
    fn valid_markers_and_ascii_are_never_flagged() {
        for text in [
            "platform_release == 'aéé'",
            "platform_release == 'aéé' and os_name == 'é é'",
            "(platform_version == 'éé') or (sys_platform == 'linux')",
            "'é' in platform_version",
            "platform_version not in 'ééé'",
            "os_name == 'nt' aa",
            "os_name = = = 'nt' and",
            "",
        ] {
            assert_eq!(unaligned_word(text, 0), None, "{text:?}");
        }
    }
}
