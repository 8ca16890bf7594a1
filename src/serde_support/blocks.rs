//! `Serialize` and `Deserialize` for the typed blocks: the block's value in its stable shape,
//! read as [`Block::from_value`] reads it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::blocks::for_each_block;
use crate::{AnyBlock, Block, Value};

macro_rules! block_serde_impls {
    ($($variant:ident $ty:ident,)*) => {
        $(
            impl Serialize for crate::$ty {
                fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    self.to_value().serialize(serializer)
                }
            }

            impl<'de> Deserialize<'de> for crate::$ty {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = Value::deserialize(deserializer)?;
                    <crate::$ty as Block>::from_value(&value).map_err(serde::de::Error::custom)
                }
            }
        )*
    };
}

for_each_block!(block_serde_impls);

impl Serialize for AnyBlock {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(serializer)
    }
}
