//! Facts: what a rule keeps of a file for its cross-file check. A fact is a value of the rule's own
//! type. It is serializable, so that the cache can keep a file's facts and the next run can skip
//! parsing the file: a fact read back from the cache is decoded on first use, as the type the rule
//! asks for.

use std::any::Any;
use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::value::RawValue;

type AnyValue = Box<dyn Any + Send + Sync>;

/// One fact of one rule about one file.
pub struct Fact {
    /// `std::any::type_name` of the value: borrowed for live facts (there are many), owned when
    /// read from the cache.
    type_name: std::borrow::Cow<'static, str>,
    repr: Repr,
}

enum Repr {
    /// Recorded during this run's walk.
    Live {
        value: AnyValue,
        encode: fn(&(dyn Any + Send + Sync)) -> Option<Box<RawValue>>,
    },
    /// Read from the cache: JSON, decoded when a rule first asks for it.
    Stored {
        json: Box<RawValue>,
        decoded: OnceLock<Option<AnyValue>>,
    },
}

fn encode<T: Any + Serialize>(value: &(dyn Any + Send + Sync)) -> Option<Box<RawValue>> {
    serde_json::value::to_raw_value(value.downcast_ref::<T>()?).ok()
}

impl Fact {
    pub fn new<T: Any + Send + Sync + Serialize>(value: T) -> Fact {
        Fact {
            type_name: std::borrow::Cow::Borrowed(std::any::type_name::<T>()),
            repr: Repr::Live {
                value: Box::new(value),
                encode: encode::<T>,
            },
        }
    }

    /// A fact as the cache stored it.
    pub fn stored(type_name: String, json: Box<RawValue>) -> Fact {
        Fact {
            type_name: std::borrow::Cow::Owned(type_name),
            repr: Repr::Stored {
                json,
                decoded: OnceLock::new(),
            },
        }
    }

    /// The value, if the fact is a `T`.
    pub fn get<T: Any + Send + Sync + DeserializeOwned>(&self) -> Option<&T> {
        if self.type_name != std::any::type_name::<T>() {
            return None;
        }
        match &self.repr {
            Repr::Live { value, .. } => value.downcast_ref::<T>(),
            Repr::Stored { json, decoded } => decoded
                .get_or_init(|| {
                    serde_json::from_str::<T>(json.get())
                        .ok()
                        .map(|v| Box::new(v) as AnyValue)
                })
                .as_ref()?
                .downcast_ref::<T>(),
        }
    }

    /// (type name, JSON) for the cache.
    pub fn to_stored(&self) -> Option<(String, Box<RawValue>)> {
        let json = match &self.repr {
            Repr::Live { value, encode } => encode(value.as_ref())?,
            Repr::Stored { json, .. } => json.clone(),
        };
        Some((self.type_name.to_string(), json))
    }
}

impl std::fmt::Debug for Fact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Fact<{}>", self.type_name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct Routes {
        paths: Vec<String>,
    }

    #[test]
    fn live_and_stored_facts_read_the_same() {
        let live = Fact::new(Routes {
            paths: vec!["/login".into()],
        });
        assert_eq!(live.get::<Routes>().map(|r| r.paths.len()), Some(1));
        assert!(
            live.get::<String>().is_none(),
            "a fact is only its own type"
        );
        let (ty, json) = live.to_stored().unwrap();
        let stored = Fact::stored(ty, json);
        assert_eq!(stored.get::<Routes>(), live.get::<Routes>());
        assert!(stored.get::<String>().is_none());
        // stored facts keep their JSON for the next write
        let text = |f: &Fact| f.to_stored().map(|(ty, json)| (ty, json.get().to_string()));
        assert_eq!(text(&stored), text(&live));
    }
}
