//! Everything a cost view shows for one scope, computed in one go from the estate and the
//! view's inputs: sizes, totals, both policies projected and compared, both clean-ups.
//! For a large fleet this takes longer than a frame, so the app runs it off the UI thread.

use super::assumptions::AssumptionSet;
use super::estate::{CostEstate, Estimate, Rollup, Scope, estimate_in, rollup};
use super::policy::{Cleanup, Policy, cleanup};
use super::prices::PriceBook;
use super::projection::{Comparison, Projection, StackBy, compare, project};

/// Bands the projection plot stacks at most (the rest are "Other").
pub const MAX_SERIES: usize = 8;

/// What a cost view asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct CostInputs {
    /// What is looked at.
    pub scope: Scope,
    /// Used fraction and churn.
    pub assumptions: AssumptionSet,
    /// Prices.
    pub prices: PriceBook,
    /// Policy A and policy B.
    pub policies: [Policy; 2],
    /// What the projection stacks.
    pub stack: StackBy,
    /// Now, Unix seconds.
    pub now_unix: i64,
}

/// A cost view's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct CostModel {
    /// What they were computed for.
    pub inputs: CostInputs,
    /// Sizes and prices of the scope's disk restore points.
    pub estimate: Estimate,
    /// Totals at every level.
    pub rollup: Rollup,
    /// Policy A and B, projected.
    pub projections: [Projection; 2],
    /// A − B.
    pub comparison: Comparison,
    /// Clean-ups to policy A and B.
    pub cleanups: [Cleanup; 2],
}

/// Computes a cost view's figures.
pub fn model(estate: &CostEstate, inputs: CostInputs) -> CostModel {
    let est = estimate_in(estate, &inputs.assumptions, &inputs.prices, &inputs.scope);
    let totals = rollup(estate, &est, &inputs.scope);
    let projections = inputs.policies.clone().map(|p| {
        project(
            estate,
            &est,
            &inputs.prices,
            &inputs.scope,
            &p,
            inputs.now_unix,
            inputs.stack,
            MAX_SERIES,
        )
    });
    let cleanups = inputs
        .policies
        .clone()
        .map(|p| cleanup(estate, &est, &inputs.scope, &p, inputs.now_unix));
    CostModel {
        comparison: compare(&projections[0], &projections[1]),
        inputs,
        estimate: est,
        rollup: totals,
        projections,
        cleanups,
    }
}
