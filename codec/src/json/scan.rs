//! The byte scan both directions of the JSON codec share: how far a string runs before a byte
//! that needs attention (`"`, `\\` or a control character).

/// The length of the run of bytes at the start of `bytes` that a string copies as they are:
/// anything but `"`, `\` and control characters. Eight bytes are tested at a time.
pub(crate) fn ordinary_prefix(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // A byte of `x` is zero exactly where the lowest flagged byte of this mask is; flags above
    // the first zero byte may be spurious, so only the lowest is used.
    let zero_bytes = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let mut done = 0;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let word = u64::from_le_bytes(word);
        let special = zero_bytes(word ^ (ONES * u64::from(b'"')))
            | zero_bytes(word ^ (ONES * u64::from(b'\\')))
            | (word.wrapping_sub(ONES * 0x20) & !word & HIGHS);
        if special != 0 {
            return done + (special.trailing_zeros() / 8) as usize;
        }
        done += 8;
    }
    done + chunks
        .remainder()
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .unwrap_or(chunks.remainder().len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_prefix_finds_the_first_special_byte() {
        for len in 0..40 {
            for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                for at in 0..=len {
                    let mut bytes: Vec<u8> = (b'a'..=b'z').cycle().take(len).collect();
                    // High bytes and 0x20 must not count as special.
                    if len > 3 {
                        bytes[1] = 0xC3;
                        bytes[2] = 0x20;
                        bytes[3] = 0x7F;
                    }
                    if at < len {
                        bytes[at] = special;
                    }
                    let expected = bytes
                        .iter()
                        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                        .unwrap_or(len);
                    assert_eq!(ordinary_prefix(&bytes), expected, "{len} {special} {at}");
                }
            }
        }
    }
}
