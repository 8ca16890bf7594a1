//! scratch profile
fn main() {
    let dir = "/work/shared/vectors/mimi-content/examples";
    let mut msgs = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "cbor") && !p.to_string_lossy().contains("implied") {
            msgs.push(exev_mimi::from_slice(&std::fs::read(p).unwrap()).unwrap());
        }
    }
    let which = std::env::args().nth(1).unwrap_or_default();
    let events: Vec<_> = msgs.iter().map(exev_mimi::mapping::to_event).collect();
    let mut n = 0;
    for _ in 0..200 {
        if which == "to_mimi" {
            for e in &events {
                n += exev_mimi::mapping::to_mimi(e, [0; 16]).unwrap().salt[0] as usize;
            }
        } else {
            for m in &msgs {
                n += exev_mimi::mapping::to_event(m).content().len();
            }
        }
    }
    println!("{n}");
}
