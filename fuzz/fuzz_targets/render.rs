//! Structured events through the fallback renderer for three kinds of client: it never panics,
//! and an event renders the same after a JSON round trip.
#![no_main]

use std::sync::OnceLock;

use exev_registry::{Capabilities, Registry};
use libfuzzer_sys::fuzz_target;

struct Clients {
    registry: Registry,
    clients: Vec<Capabilities>,
}

fn clients() -> &'static Clients {
    static CLIENTS: OnceLock<Clients> = OnceLock::new();
    CLIENTS.get_or_init(|| {
        let registry = Registry::built_in();
        let clients = vec![
            Capabilities::everything(&registry),
            Capabilities::knowing(["m.message"]),
            Capabilities::knowing(["m.message", "m.file", "m.image", "m.video", "m.audio"])
                .mimetypes(["image/png", "video/*", "audio/*"]),
        ];
        Clients { registry, clients }
    })
}

fuzz_target!(|event: exev::Event| {
    let c = clients();
    let again = exev_codec::json::to_vec(&event)
        .ok()
        .and_then(|bytes| exev_codec::json::from_slice(&bytes).ok());
    for caps in &c.clients {
        let rendering = exev_registry::render(&event, caps, &c.registry);
        let _ = rendering.to_value();
        if let Some(again) = &again {
            assert_eq!(
                exev_registry::render(again, caps, &c.registry),
                rendering,
                "rendering changed after a JSON round trip"
            );
        }
    }
});
