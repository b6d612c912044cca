//! `Loadable<T>`: the state of something fetched in the background.

/// An error as the UI shows it: ARM code, message, and ids for a support ticket.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ErrorInfo {
    pub code: Option<String>,
    pub message: String,
    pub status: Option<u16>,
    pub request_id: Option<String>,
    pub correlation_id: Option<String>,
    /// What was tried, one line each (e.g. each credential source and why it failed).
    pub details: Vec<String>,
}

impl ErrorInfo {
    /// A one-line summary: `Code: message`.
    pub fn summary(&self) -> String {
        match &self.code {
            Some(code) if !self.message.starts_with(code.as_str()) => {
                format!("{code}: {}", self.message)
            }
            _ => self.message.clone(),
        }
    }
}

/// Not asked for yet, loading (maybe with the previous value), loaded, or failed.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Loadable<T> {
    #[default]
    NotRequested,
    Loading {
        previous: Option<T>,
    },
    Ready(T),
    /// The error is boxed: a fleet holds a `Loadable` or two per restore point, and
    /// almost none of them fail.
    Failed {
        error: Box<ErrorInfo>,
        previous: Option<T>,
    },
}

impl<T> Loadable<T> {
    /// The current value or the previous one while reloading (stale-while-revalidate).
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Ready(v) => Some(v),
            Self::Loading { previous } | Self::Failed { previous, .. } => previous.as_ref(),
            Self::NotRequested => None,
        }
    }

    /// The value to change in place (the previous one while reloading).
    pub fn value_mut(&mut self) -> Option<&mut T> {
        match self {
            Self::Ready(v) => Some(v),
            Self::Loading { previous } | Self::Failed { previous, .. } => previous.as_mut(),
            Self::NotRequested => None,
        }
    }

    /// True while a request is in flight.
    pub fn is_loading(&self) -> bool {
        matches!(self, Self::Loading { .. })
    }

    /// The error, if the last load failed.
    pub fn error(&self) -> Option<&ErrorInfo> {
        match self {
            Self::Failed { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Moves to `Loading`, keeping the value shown.
    pub fn start_loading(&mut self) {
        let previous = match std::mem::take(self) {
            Self::Ready(v) => Some(v),
            Self::Loading { previous } | Self::Failed { previous, .. } => previous,
            Self::NotRequested => None,
        };
        *self = Self::Loading { previous };
    }

    /// Records a result; on failure the previous value stays visible.
    pub fn finish(&mut self, result: Result<T, ErrorInfo>) {
        *self = match result {
            Ok(v) => Self::Ready(v),
            Err(error) => {
                let previous = match std::mem::take(self) {
                    Self::Ready(v) => Some(v),
                    Self::Loading { previous } | Self::Failed { previous, .. } => previous,
                    Self::NotRequested => None,
                };
                Self::Failed {
                    error: Box::new(error),
                    previous,
                }
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_keeps_previous_value_and_failure_keeps_it_too() {
        let mut l = Loadable::Ready(1);
        l.start_loading();
        assert_eq!(l.value(), Some(&1));
        assert!(l.is_loading());
        l.finish(Err(ErrorInfo {
            message: "boom".into(),
            ..Default::default()
        }));
        assert_eq!(l.value(), Some(&1));
        assert_eq!(l.error().map(|e| e.message.as_str()), Some("boom"));
        l.finish(Ok(2));
        assert_eq!(l, Loadable::Ready(2));
    }
}
