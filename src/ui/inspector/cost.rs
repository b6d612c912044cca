//! The Cost tab: what the focused VM, collection, point, resource group or subscription
//! retains and costs, and its retention policies (drawn by `ui::cost`).

pub use super::super::cost::cost_tab_ui as cost_ui;
