//! [`LazyObject`]: an object kept where a decoder left it, built into values only when asked
//! for as values. [`crate::Content`] holds its blocks in one, [`crate::Event`] its other
//! top-level members.

use std::sync::{Arc, OnceLock};

use crate::Object;
use crate::tape::{At, Tape};
use crate::value_ref::{Except, ObjectRef};

/// An object as values, or as the object at a place on a tape (less some members), its values
/// built the first time something asks for them as values, then kept.
#[derive(Clone)]
pub(crate) struct LazyObject(Repr);

#[derive(Clone)]
enum Repr {
    Values(Object),
    Taped {
        tape: Arc<Tape>,
        at: At,
        except: Except,
        values: OnceLock<Object>,
    },
}

impl Default for LazyObject {
    fn default() -> LazyObject {
        LazyObject(Repr::Values(Object::new()))
    }
}

impl LazyObject {
    /// These members, as values.
    pub(crate) fn from_object(members: Object) -> LazyObject {
        LazyObject(Repr::Values(members))
    }

    /// The object at `at` on `tape` less the members named in `except`, which a decoder wrote
    /// after checking it; nothing is built until it is asked for as values.
    pub(crate) fn from_tape(tape: Arc<Tape>, at: At, except: Except) -> LazyObject {
        LazyObject(Repr::Taped {
            tape,
            at,
            except,
            values: OnceLock::new(),
        })
    }

    /// The members, borrowed where they lie.
    pub(crate) fn as_ref(&self) -> ObjectRef<'_> {
        match &self.0 {
            Repr::Taped {
                tape,
                at,
                except,
                values,
            } if values.get().is_none() => ObjectRef::taped_except(tape, *at, except),
            _ => ObjectRef::from(self.as_object()),
        }
    }

    /// The members as values (built from the tape the first time, then kept).
    pub(crate) fn as_object(&self) -> &Object {
        match &self.0 {
            Repr::Values(members) => members,
            Repr::Taped {
                tape,
                at,
                except,
                values,
            } => values.get_or_init(|| ObjectRef::taped_except(tape, *at, except).to_object()),
        }
    }

    /// The members as values, mutably: the tape is let go.
    pub(crate) fn as_object_mut(&mut self) -> &mut Object {
        if let Repr::Taped { .. } = self.0 {
            let members = std::mem::take(self).into_object();
            self.0 = Repr::Values(members);
        }
        match &mut self.0 {
            Repr::Values(members) => members,
            // Made `Values` just above.
            Repr::Taped { .. } => unreachable!("members built above"),
        }
    }

    /// The members as values, by value.
    pub(crate) fn into_object(self) -> Object {
        match self.0 {
            Repr::Values(members) => members,
            Repr::Taped {
                tape,
                at,
                except,
                mut values,
            } => values
                .take()
                .unwrap_or_else(|| ObjectRef::taped_except(&tape, at, except).to_object()),
        }
    }

    /// The number of members.
    pub(crate) fn len(&self) -> usize {
        self.as_ref().len()
    }

    /// Whether the members are still only on a tape, not built as values (for tests of what
    /// reads build).
    pub(crate) fn is_unbuilt(&self) -> bool {
        matches!(&self.0, Repr::Taped { values, .. } if values.get().is_none())
    }
}
