//! Cost commands: loading prices for the connection (the demo's emulator, Azure's Retail
//! Prices API, or the cache and the embedded table offline) and exporting cost tables.

use std::path::PathBuf;
use std::sync::Arc;

use super::App;
use super::export::SaveOutcome;
use crate::arm::DEFAULT_PAGE_SIZE;
use crate::backend::prices::{PricesRequest, prices_target};
use crate::cost::{CostEstate, CostModel};

impl App {
    /// The Retail Prices endpoint for the connection, and the cache key naming it.
    fn prices_endpoint(&self) -> (Option<String>, String) {
        prices_target(
            self.conn.spec(),
            self.endpoint(),
            self.prices_endpoint.as_deref(),
        )
    }

    /// Loads prices for `regions` in `currency` off the UI thread.
    pub(super) fn load_prices(&mut self, currency: String, regions: Vec<String>, refresh: bool) {
        let Some(backend) = self.conn.backend() else {
            return;
        };
        let (endpoint, cache_key) = self.prices_endpoint();
        let request = PricesRequest {
            endpoint,
            cache_dir: Some(self.data_dir.join("prices")),
            cache_key,
            currency: currency.clone(),
            regions: regions.clone(),
            refresh,
            now_unix: Self::now_unix(),
            options: self.client_options.clone(),
            page_size: DEFAULT_PAGE_SIZE,
        };
        backend.load_prices(request);
        self.prices.loading = true;
        self.prices.requested = Some((currency, regions));
    }

    /// Writes a cost table: to `path` when given (the path field), else where the save
    /// dialog says; without a dialog, the cost view shows a path field. The CSV is made
    /// and written off the UI thread.
    pub(super) fn export_cost_csv(
        &mut self,
        file_name: String,
        part: String,
        estate: Arc<CostEstate>,
        model: Arc<CostModel>,
        path: Option<PathBuf>,
    ) {
        let chosen = match path {
            Some(p) => Ok(p),
            None => self.ask_save_path("Export a cost table", &file_name, "CSV", "csv"),
        };
        let export = &mut self.ui.cost.export;
        export.path_needed = chosen == Err(SaveOutcome::NoDialog);
        if export.path_needed {
            export.path = super::export::fallback_dir()
                .join(&file_name)
                .display()
                .to_string();
        }
        export.last = Some((file_name, part.clone()));
        if let (Ok(path), Some(backend)) = (chosen, self.conn.backend()) {
            backend.write_export_with(path, move || {
                crate::cost::table(&part, &estate, &model).map(|t| t.to_csv())
            });
        }
    }
}
