//! The rpdesk emulator's admin API (`/_emulator/…`): reset, faults, clock. Only for a
//! client connected to the emulator; real ARM answers 404.

use reqwest::Method;
use serde_json::{Value, json};

use crate::arm::client::Request;
use crate::arm::{ArmClient, ArmError};

impl ArmClient {
    async fn admin(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, ArmError> {
        let url = self
            .base_url()
            .join(path)
            .map_err(|e| ArmError::InvalidRequest(e.to_string()))?;
        let resp = self
            .send(Request {
                method,
                url,
                body,
                idempotent: true,
                create_only: false,
            })
            .await?;
        if resp.body.is_empty() {
            Ok(Value::Null)
        } else {
            resp.json()
        }
    }

    /// Puts the emulator's estate back as it was generated.
    pub async fn emulator_reset(&self) -> Result<(), ArmError> {
        self.admin(Method::POST, "/_emulator/reset", None)
            .await
            .map(drop)
    }

    /// Adds a fault rule (see the emulator's module doc for the JSON).
    pub async fn emulator_add_fault(&self, fault: Value) -> Result<Value, ArmError> {
        self.admin(Method::POST, "/_emulator/faults", Some(fault))
            .await
    }

    /// Removes every fault rule.
    pub async fn emulator_clear_faults(&self) -> Result<(), ArmError> {
        self.admin(Method::DELETE, "/_emulator/faults", None)
            .await
            .map(drop)
    }

    /// Moves the emulator's virtual clock forward.
    pub async fn emulator_advance_clock(&self, seconds: u64) -> Result<Value, ArmError> {
        self.admin(
            Method::POST,
            "/_emulator/clock/advance",
            Some(json!({ "seconds": seconds })),
        )
        .await
    }
}
