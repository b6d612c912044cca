//! The hand-made demo estate: three Contoso subscriptions whose VMs between them cover
//! every row of the restore point support matrix, with weeks of history that respects
//! the rules, and a fourth, Contoso CI, whose pipeline leaked a collection per run.
//!
//! | subscription | id |
//! |---|---|
//! | Contoso Production | `6f1c0d7e-2b7a-4c55-9a43-1d1e0a5b7c01` |
//! | Contoso Development | `8a2d4f19-5c3e-4e1b-b7d2-2f6a9c0e8d02` |
//! | Contoso Disaster Recovery | `3c9b7e25-8d41-4f6a-a0c3-5e7b1d2f9a03` |
//! | Contoso CI | `5d0e8a31-6b2f-4c7d-9e14-7a3c2b9f4d04` |
//!
//! | VM | subscription / resource group | region | what it shows |
//! |---|---|---|---|
//! | `sql-prod-01` | Production / `rg-sql-prod` | eastus | Windows, CMK (disk encryption set), extensions, gallery app, user data; copied to centralus (one copy done, one in progress) |
//! | `sql-prod-02` | Production / `rg-sql-prod` | eastus | M-series with a write-accelerated log disk (crash-consistent refused unless excluded) |
//! | `web-frontend-01`, `web-frontend-02` | Production / `rg-web-prod` | eastus | Linux in availability set `avset-web`, Standard SSD, mixed app/crash history |
//! | `web-frontend-03` | Production / `rg-web-prod` | eastus | ephemeral OS disk (always excluded) |
//! | `api-gateway-01` | Production / `rg-api-prod` | westus2 | zonal, Premium ZRS |
//! | `sap-hana-01` | Production / `rg-sap-prod` | westus2 | Ultra data disks, proximity placement group, instant access collection |
//! | `analytics-pv2-01` | Production / `rg-analytics-prod` | westus2 | Premium SSD v2 data disks; a point whose instant access expires in about 10 minutes |
//! | `etl-pv2-01` | Production / `rg-analytics-prod` | westus2 | zone 3, a Premium SSD v2 data disk, no instant access: the newest point `rp-in-progress` (10 minutes old) is still copying that disk into its snapshot (`Pending` for 512 × 40 virtual seconds) |
//! | `cluster-node-01`, `cluster-node-02` | Production / `rg-cluster-prod` | westeurope | Windows failover cluster sharing disk `rg-cluster-prod-shared-quorum` (excluded) |
//! | `conf-vault-01` | Production / `rg-secure-prod` | westeurope | confidential VM (refused) |
//! | `checkout-vmss_0`, `checkout-vmss_1` | Production / `rg-checkout-prod` | westeurope | VMSS Uniform instances (refused) |
//! | `batch-flex-01`, `batch-flex-02` | Production / `rg-batch-prod` | westeurope | VMSS Flex members (supported per VM); `batch-flex-02` runs Red Hat Enterprise Linux 6.10, which ships Python 2.6 (a proxy-configured VM needs 2.7+ for application consistency) |
//! | `app-v6-01` | Production / `rg-app-prod` | northeurope | Standard_D4s_v6 (Azure Boost) with 4 data disks, NVMe |
//! | `file-server-01` | Production / `rg-files-prod` | eastus | Read/write cached data disk; its oldest point `rp-001-app` has disk restore points with an active SAS (Azure refuses to delete it until access is revoked) |
//! | `data-warehouse-01` | Production / `rg-dw-prod` | eastus | Linux, 16 Premium SSD data disks (LUN 0–15, 128 GB to 1 TB, the first four read-cached) |
//! | `old-app-01` (deleted) | Production / `rg-legacy-apps` | eastus | the VM, its NIC and disks are gone; its collection `old-app-01-rpc` and 5 points remain |
//! | `legacy-erp-01` | Production / `rg-erp-new` | eastus | moved from `rg-erp-legacy`: its collection's `source.id` is stale |
//! | `backup-managed-01` | Production / `rg-ops-prod` | eastus | collection owned by Azure Backup in `AzureBackupRG_eastus_1` |
//! | `jumpbox-01` | Production / `rg-ops-prod` | eastus | Standard HDD, deallocated (app-consistent refused) |
//! | `legacy-classic-01` | Production / `rg-ops-prod` | eastus | unmanaged (VHD) OS disk (refused) |
//! | `dev-build-01`, `dev-build-02` | Development / `rg-dev-build` | eastus2 | Linux build agents, crash-consistent every few hours; `dev-build-02` runs Fedora from a custom image (not endorsed by Azure) and has 410 points, one every 2 hours (near the 500 Azure keeps per VM) |
//! | `dev-test-win-01` | Development / `rg-dev-test` | eastus2 | Windows, stopped (not deallocated) |
//! | `dev-db-01` | Development / `rg-dev-data` | northeurope | Linux PostgreSQL, Premium SSD |
//! | `edge-coreos-01` | Development / `rg-dev-edge` | northeurope | Fedora CoreOS: crash-consistent only (application-consistent refused) |
//! | `dev-sandbox-01` | Development / `rg-dev-sandbox` | northeurope | no collections yet |
//! | `dr-sql-standby-01` | Disaster Recovery / `rg-dr-sql` | westus | Windows Server 2012 R2 standby: past extended support and its Extended Security Updates |
//! | `dr-web-01` | Disaster Recovery / `rg-dr-web` | westus | Linux, Standard SSD ZRS, an old guest agent (2.2.4) |
//! | `dr-dc-01` | Disaster Recovery / `rg-dr-identity` | centralus | domain controller, trusted launch |
//! | `ci-agent-01`, `ci-agent-02` | CI / `rg-ci-agents` | eastus | build agents whose pipeline created a collection per run (`ci-run-00001-rpc` …) and deleted only the points: 8,120 empty collections, near the 10,000 Azure allows per subscription and region |

use super::{Builder, Image, VmSpec, data};
use crate::emulator::state::{Estate, VmDecor};
use serde_json::json;

pub const PROD: &str = "6f1c0d7e-2b7a-4c55-9a43-1d1e0a5b7c01";
pub const DEV: &str = "8a2d4f19-5c3e-4e1b-b7d2-2f6a9c0e8d02";
pub const DR: &str = "3c9b7e25-8d41-4f6a-a0c3-5e7b1d2f9a03";
pub const CI: &str = "5d0e8a31-6b2f-4c7d-9e14-7a3c2b9f4d04";

/// Collections Contoso CI's pipeline left in eastus: 81 % of Azure's 10,000.
pub const CI_LEAKED_COLLECTIONS: usize = 8_120;

fn rg_res(sub: &str, rg: &str, kind: &str, name: &str) -> String {
    format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/{kind}/{name}")
}

/// Daily history for `days` days (newest a few hours old), alternating modes as asked.
fn history(
    b: &mut Builder,
    coll: &str,
    vm: &str,
    days: usize,
    crash_every: usize,
    exclude: &[String],
    ia: Option<i64>,
) {
    for d in (0..days).rev() {
        let age = 6.0 + d as f64 * 24.0;
        let crash = crash_every > 0 && d % crash_every == 1;
        let mode = if crash {
            "CrashConsistent"
        } else {
            "ApplicationConsistent"
        };
        let name = format!("rp-{:03}-{}", days - d, if crash { "crash" } else { "app" });
        b.point(
            coll,
            vm,
            &name,
            age,
            mode,
            exclude,
            if crash { None } else { ia },
        );
    }
}

pub fn build(now: f64) -> Estate {
    let mut b = Builder::new(now);
    b.sub(
        PROD,
        "Contoso Production",
        &[("costCenter", "1001"), ("env", "prod")],
    );
    b.sub(
        DEV,
        "Contoso Development",
        &[("costCenter", "2002"), ("env", "dev")],
    );
    b.sub(
        DR,
        "Contoso Disaster Recovery",
        &[("costCenter", "1001"), ("env", "dr")],
    );
    b.sub(CI, "Contoso CI", &[("costCenter", "2002"), ("env", "ci")]);

    // --- Production, eastus: SQL with CMK, extensions, a cross-region copy.
    let mut s = VmSpec::new(
        PROD,
        "rg-sql-prod",
        "sql-prod-01",
        "eastus",
        "Standard_E8s_v5",
        false,
    )
    .data(data("Premium_LRS", 1024, "ReadOnly"))
    .data(data("Premium_LRS", 512, "None"))
    .tag("app", "sql")
    .tag("owner", "dba-team");
    s.cmk = true;
    s.decor = VmDecor {
        application_profile: Some(
            json!({ "galleryApplications": [ { "tags": "monitoring", "order": 1,
            "packageReferenceId": format!("/subscriptions/{PROD}/resourceGroups/rg-shared/providers/Microsoft.Compute/galleries/contosoGallery/applications/SqlAgentTools/versions/1.4.0"),
            "configurationReference": "https://contosoconfig.blob.core.windows.net/configurations/sqlagent.config" } ] }),
        ),
        user_data: Some("IyEvYmluL3NoCmVjaG8gY29udG9zbw==".into()),
        extensions: vec!["VMSnapshot".into(), "AzureMonitorWindowsAgent".into()],
        boot_diagnostics_uri: Some("https://contosodiag.blob.core.windows.net/".into()),
    };
    let sql1 = b.vm(s);
    let sql1_rpc = b.collection(
        &sql1,
        PROD,
        "rg-sql-prod",
        "sql-prod-01-rpc",
        "eastus",
        false,
        None,
    );
    history(&mut b, &sql1_rpc, &sql1, 21, 4, &[], None);
    let sql1_copy = b.collection(
        &sql1,
        PROD,
        "rg-sql-prod",
        "sql-prod-01-rpc-centralus",
        "centralus",
        false,
        Some(rg_res(
            PROD,
            "rg-sql-prod",
            "restorePointCollections",
            "sql-prod-01-rpc",
        )),
    );
    b.copy(
        &sql1_copy,
        &sql1_rpc,
        "rp-019-app",
        "rp-019-app-copy",
        26.0 * 60.0,
        50.0,
    );
    b.copy(
        &sql1_copy,
        &sql1_rpc,
        "rp-021-app",
        "rp-021-app-copy",
        20.0,
        60.0,
    );

    let mut s = VmSpec::new(
        PROD,
        "rg-sql-prod",
        "sql-prod-02",
        "eastus",
        "Standard_M32ms",
        false,
    )
    .data(data("Premium_LRS", 2048, "ReadOnly"))
    .tag("app", "sql");
    let mut log = data("Premium_LRS", 512, "None");
    log.write_accelerator = true;
    s.data.push(log);
    let sql2 = b.vm(s);
    let c = b.collection(
        &sql2,
        PROD,
        "rg-sql-prod",
        "sql-prod-02-rpc",
        "eastus",
        false,
        None,
    );
    history(&mut b, &c, &sql2, 14, 0, &[], None);

    // --- Web tier: availability set, ephemeral OS.
    for n in ["web-frontend-01", "web-frontend-02"] {
        let mut s = VmSpec::new(PROD, "rg-web-prod", n, "eastus", "Standard_D2s_v5", true)
            .data(data("StandardSSD_LRS", 128, "ReadOnly"))
            .tag("app", "web");
        s.os_sku = "StandardSSD_LRS";
        s.availability_set = Some(rg_res(PROD, "rg-web-prod", "availabilitySets", "avset-web"));
        let k = b.vm(s);
        let c = b.collection(
            &k,
            PROD,
            "rg-web-prod",
            &format!("{n}-rpc"),
            "eastus",
            false,
            None,
        );
        history(&mut b, &c, &k, 28, 2, &[], None);
    }
    let mut s = VmSpec::new(
        PROD,
        "rg-web-prod",
        "web-frontend-03",
        "eastus",
        "Standard_D4ds_v5",
        true,
    )
    .data(data("Premium_LRS", 256, "ReadOnly"))
    .tag("app", "web");
    s.ephemeral_os = true;
    let web3 = b.vm(s);
    let c = b.collection(
        &web3,
        PROD,
        "rg-web-prod",
        "web-frontend-03-rpc",
        "eastus",
        false,
        None,
    );
    history(&mut b, &c, &web3, 10, 3, &[], None);

    // --- westus2: zonal API, Ultra SAP HANA, Premium SSD v2 analytics with instant access.
    let mut s = VmSpec::new(
        PROD,
        "rg-api-prod",
        "api-gateway-01",
        "westus2",
        "Standard_D8s_v5",
        true,
    )
    .data(data("Premium_ZRS", 256, "ReadOnly"));
    s.os_sku = "Premium_ZRS";
    s.zones = vec!["1".into()];
    let api = b.vm(s);
    let c = b.collection(
        &api,
        PROD,
        "rg-api-prod",
        "api-gateway-01-rpc",
        "westus2",
        false,
        None,
    );
    history(&mut b, &c, &api, 14, 2, &[], None);

    let mut s = VmSpec::new(
        PROD,
        "rg-sap-prod",
        "sap-hana-01",
        "westus2",
        "Standard_E32ds_v5",
        true,
    )
    .data(data("UltraSSD_LRS", 1024, "None"))
    .data(data("UltraSSD_LRS", 512, "None"))
    .tag("app", "sap");
    s.os_name = "SUSE Linux Enterprise Server 15 SP5".into();
    s.ultra = true;
    s.zones = vec!["2".into()];
    s.ppg = Some(rg_res(
        PROD,
        "rg-sap-prod",
        "proximityPlacementGroups",
        "ppg-sap",
    ));
    let sap = b.vm(s);
    let c = b.collection(
        &sap,
        PROD,
        "rg-sap-prod",
        "sap-hana-01-rpc",
        "westus2",
        true,
        None,
    );
    // Crash-consistent points on an Ultra VM had to exclude the Ultra disks.
    let ultra_names = vec![
        "sap-hana-01-data-00".to_owned(),
        "sap-hana-01-data-01".to_owned(),
    ];
    for d in (0..14).rev() {
        let crash = d % 3 == 1;
        let name = format!("rp-{:03}-{}", 14 - d, if crash { "crash" } else { "app" });
        let excl: &[String] = if crash { &ultra_names } else { &[] };
        b.point(
            &c,
            &sap,
            &name,
            8.0 + d as f64 * 24.0,
            if crash {
                "CrashConsistent"
            } else {
                "ApplicationConsistent"
            },
            excl,
            (!crash).then_some(240),
        );
    }

    let mut s = VmSpec::new(
        PROD,
        "rg-analytics-prod",
        "analytics-pv2-01",
        "westus2",
        "Standard_E16s_v5",
        true,
    )
    .data(data("PremiumV2_LRS", 2048, "None"))
    .data(data("PremiumV2_LRS", 1024, "None"));
    s.zones = vec!["1".into()];
    let pv2 = b.vm(s);
    let c = b.collection(
        &pv2,
        PROD,
        "rg-analytics-prod",
        "analytics-pv2-01-rpc",
        "westus2",
        true,
        None,
    );
    history(&mut b, &c, &pv2, 10, 0, &[], Some(120));
    // Instant access of this one ends about ten minutes from now.
    b.point(
        &c,
        &pv2,
        "rp-pre-upgrade",
        290.0 / 60.0,
        "ApplicationConsistent",
        &[],
        Some(300),
    );

    // A restore point whose Premium SSD v2 disk is still being copied into its snapshot
    // (no instant access): the data disk restore point stays Pending for 512 × 40 s.
    let mut s = VmSpec::new(
        PROD,
        "rg-analytics-prod",
        "etl-pv2-01",
        "westus2",
        "Standard_E8s_v5",
        true,
    )
    .data(data("PremiumV2_LRS", 512, "None"));
    s.zones = vec!["3".into()];
    let etl = b.vm(s);
    let c = b.collection(
        &etl,
        PROD,
        "rg-analytics-prod",
        "etl-pv2-01-rpc",
        "westus2",
        false,
        None,
    );
    history(&mut b, &c, &etl, 5, 0, &[], None);
    b.point(
        &c,
        &etl,
        "rp-in-progress",
        10.0 / 60.0,
        "ApplicationConsistent",
        &[],
        None,
    );

    // --- westeurope: shared-disk cluster, confidential VM, VMSS Uniform and Flex.
    for n in ["cluster-node-01", "cluster-node-02"] {
        let mut shared = data("Premium_LRS", 256, "None");
        shared.max_shares = Some(2);
        let s = VmSpec::new(
            PROD,
            "rg-cluster-prod",
            n,
            "westeurope",
            "Standard_D4s_v5",
            false,
        )
        .data(shared)
        .data(data("Premium_LRS", 512, "ReadOnly"));
        let k = b.vm(s);
        let c = b.collection(
            &k,
            PROD,
            "rg-cluster-prod",
            &format!("{n}-rpc"),
            "westeurope",
            false,
            None,
        );
        history(
            &mut b,
            &c,
            &k,
            14,
            3,
            &["rg-cluster-prod-shared-quorum".to_owned()],
            None,
        );
    }
    let mut s = VmSpec::new(
        PROD,
        "rg-secure-prod",
        "conf-vault-01",
        "westeurope",
        "Standard_DC4as_v5",
        false,
    );
    s.security_type = Some("ConfidentialVM");
    b.vm(s);
    let vmss_u = rg_res(
        PROD,
        "rg-checkout-prod",
        "virtualMachineScaleSets",
        "checkout-vmss",
    );
    for i in 0..2 {
        let mut s = VmSpec::new(
            PROD,
            "rg-checkout-prod",
            &format!("checkout-vmss_{i}"),
            "westeurope",
            "Standard_D2s_v5",
            true,
        );
        s.vmss = Some((vmss_u.clone(), true));
        b.vm(s);
    }
    let vmss_f = rg_res(
        PROD,
        "rg-batch-prod",
        "virtualMachineScaleSets",
        "batch-flex",
    );
    for n in ["batch-flex-01", "batch-flex-02"] {
        let mut s = VmSpec::new(
            PROD,
            "rg-batch-prod",
            n,
            "westeurope",
            "Standard_F8s_v2",
            true,
        )
        .data(data("StandardSSD_LRS", 512, "None"));
        s.vmss = Some((vmss_f.clone(), false));
        if n == "batch-flex-02" {
            // An old release: Python 2.6 (application consistency through a proxy needs 2.7+).
            s.os_name = "Red Hat Enterprise Linux Server 6.10".into();
            s.os_version = Some("6.10");
            s.image = Image::Marketplace("RedHat", "RHEL", "6.10");
        }
        let k = b.vm(s);
        let c = b.collection(
            &k,
            PROD,
            "rg-batch-prod",
            &format!("{n}-rpc"),
            "westeurope",
            false,
            None,
        );
        history(&mut b, &c, &k, 7, 2, &[], None);
    }

    // --- northeurope: Azure Boost v6 size with several data disks.
    let mut s = VmSpec::new(
        PROD,
        "rg-app-prod",
        "app-v6-01",
        "northeurope",
        "Standard_D4s_v6",
        true,
    )
    .data(data("Premium_LRS", 256, "ReadOnly"))
    .data(data("Premium_LRS", 256, "ReadOnly"))
    .data(data("Premium_LRS", 512, "None"))
    .data(data("StandardSSD_LRS", 1024, "None"));
    s.nvme = true;
    let v6 = b.vm(s);
    let c = b.collection(
        &v6,
        PROD,
        "rg-app-prod",
        "app-v6-01-rpc",
        "northeurope",
        false,
        None,
    );
    history(&mut b, &c, &v6, 14, 0, &[], None);

    // --- eastus odds and ends.
    let s = VmSpec::new(
        PROD,
        "rg-files-prod",
        "file-server-01",
        "eastus",
        "Standard_D8s_v5",
        false,
    )
    .data(data("Premium_LRS", 4096, "ReadWrite"));
    let fs = b.vm(s);
    let c = b.collection(
        &fs,
        PROD,
        "rg-files-prod",
        "file-server-01-rpc",
        "eastus",
        false,
        None,
    );
    history(&mut b, &c, &fs, 21, 0, &[], None);
    // Someone exported the oldest point's disks (beginGetAccess) and never revoked the
    // SAS: Azure refuses to delete that point until endGetAccess.
    if let Some(p) =
        b.e.collections
            .get_mut(&c)
            .and_then(|coll| coll.points.iter_mut().find(|p| p.name == "rp-001-app"))
    {
        for d in &mut p.disks {
            d.sas_until = Some(now + 30.0 * 86_400.0);
        }
    }

    // Sixteen data disks: the widest restore in the demo.
    let mut s = VmSpec::new(
        PROD,
        "rg-dw-prod",
        "data-warehouse-01",
        "eastus",
        "Standard_E32s_v5",
        true,
    )
    .tag("app", "warehouse");
    let sizes = [
        1024, 1024, 512, 256, 128, 256, 512, 1024, 128, 256, 512, 1024, 128, 256, 512, 128,
    ];
    for (lun, size) in sizes.into_iter().enumerate() {
        let caching = if lun < 4 { "ReadOnly" } else { "None" };
        s = s.data(data("Premium_LRS", size, caching));
    }
    let dw = b.vm(s);
    let c = b.collection(
        &dw,
        PROD,
        "rg-dw-prod",
        "data-warehouse-01-rpc",
        "eastus",
        false,
        None,
    );
    history(&mut b, &c, &dw, 7, 0, &[], None);

    // A collection that outlived its VM: the VM, its NIC and disks were deleted.
    let s = VmSpec::new(
        PROD,
        "rg-legacy-apps",
        "old-app-01",
        "eastus",
        "Standard_D2s_v5",
        false,
    )
    .data(data("Premium_LRS", 128, "ReadOnly"));
    let old = b.vm(s);
    let c = b.collection(
        &old,
        PROD,
        "rg-legacy-apps",
        "old-app-01-rpc",
        "eastus",
        false,
        None,
    );
    history(&mut b, &c, &old, 5, 0, &[], None);
    b.remove_vm(&old);

    let s = VmSpec::new(
        PROD,
        "rg-erp-new",
        "legacy-erp-01",
        "eastus",
        "Standard_E4s_v5",
        false,
    )
    .data(data("Premium_LRS", 512, "ReadOnly"));
    let erp = b.vm(s);
    let stale = rg_res(PROD, "rg-erp-legacy", "virtualMachines", "legacy-erp-01");
    let c = b.collection(
        &erp,
        PROD,
        "rg-erp-legacy",
        "legacy-erp-01-rpc",
        "eastus",
        false,
        Some(stale),
    );
    history(&mut b, &c, &erp, 12, 0, &[], None);
    if let Some(coll) = b.e.collections.get_mut(&c) {
        // The history was taken before the move: the points are 20+ days old.
        for p in &mut coll.points {
            p.created -= 20.0 * 86_400.0;
            p.ready_at -= 20.0 * 86_400.0;
        }
    }

    let s = VmSpec::new(
        PROD,
        "rg-ops-prod",
        "backup-managed-01",
        "eastus",
        "Standard_D2s_v5",
        false,
    );
    let bk = b.vm(s);
    let c = b.collection(
        &bk,
        PROD,
        "AzureBackupRG_eastus_1",
        "AzureBackup_backup-managed-01_7216384",
        "eastus",
        false,
        None,
    );
    history(&mut b, &c, &bk, 14, 0, &[], None);
    if let Some(coll) = b.e.collections.get_mut(&c) {
        coll.tags.insert("AzureBackup".into(), "managed".into());
    }
    if let Some(g) =
        b.e.groups
            .get_mut(&Estate::rg_key(PROD, "AzureBackupRG_eastus_1"))
    {
        g.managed_by = Some(format!(
            "/subscriptions/{PROD}/resourceGroups/rg-ops-prod/providers/Microsoft.RecoveryServices/vaults/contoso-vault"
        ));
    }

    let mut s = VmSpec::new(
        PROD,
        "rg-ops-prod",
        "jumpbox-01",
        "eastus",
        "Standard_B2s",
        false,
    );
    s.os_sku = "Standard_LRS";
    s.power = "deallocated";
    let jb = b.vm(s);
    let c = b.collection(
        &jb,
        PROD,
        "rg-ops-prod",
        "jumpbox-01-rpc",
        "eastus",
        false,
        None,
    );
    b.point(
        &c,
        &jb,
        "rp-before-patching",
        24.0 * 9.0,
        "ApplicationConsistent",
        &[],
        None,
    );
    b.point(
        &c,
        &jb,
        "rp-after-shutdown",
        24.0 * 2.0,
        "CrashConsistent",
        &[],
        None,
    );

    let mut s = VmSpec::new(
        PROD,
        "rg-ops-prod",
        "legacy-classic-01",
        "eastus",
        "Standard_A2_v2",
        false,
    );
    s.unmanaged_os = true;
    s.os_name = "Windows Server 2016 Datacenter".into();
    b.vm(s);

    // --- Development.
    for n in ["dev-build-01", "dev-build-02"] {
        let mut s = VmSpec::new(DEV, "rg-dev-build", n, "eastus2", "Standard_D4s_v5", true)
            .data(data("StandardSSD_LRS", 256, "None"));
        s.os_sku = "StandardSSD_LRS";
        if n == "dev-build-02" {
            // A distribution Azure does not endorse, from the team's own image.
            s.os_name = "Fedora Linux 41 (Server Edition)".into();
            s.os_version = Some("41");
            s.image = Image::Custom;
        }
        let k = b.vm(s);
        let c = b.collection(
            &k,
            DEV,
            "rg-dev-build",
            &format!("{n}-rpc"),
            "eastus2",
            false,
            None,
        );
        // dev-build-02's pipeline takes a point before every build and never deletes
        // one: 410 of the 500 Azure keeps per VM.
        let (count, every_hours) = if n == "dev-build-02" {
            (410, 2.0)
        } else {
            (30, 8.0)
        };
        for i in 0..count {
            let age = 2.0 + i as f64 * every_hours;
            b.point(
                &c,
                &k,
                &format!("rp-build-{:03}", count - i),
                age,
                "CrashConsistent",
                &[],
                None,
            );
        }
    }
    let mut s = VmSpec::new(
        DEV,
        "rg-dev-test",
        "dev-test-win-01",
        "eastus2",
        "Standard_D2s_v5",
        false,
    );
    s.power = "stopped";
    let t = b.vm(s);
    let c = b.collection(
        &t,
        DEV,
        "rg-dev-test",
        "dev-test-win-01-rpc",
        "eastus2",
        false,
        None,
    );
    history(&mut b, &c, &t, 5, 2, &[], None);
    let s = VmSpec::new(
        DEV,
        "rg-dev-data",
        "dev-db-01",
        "northeurope",
        "Standard_E4s_v5",
        true,
    )
    .data(data("Premium_LRS", 1024, "ReadOnly"))
    .tag("app", "postgres");
    let db = b.vm(s);
    let c = b.collection(
        &db,
        DEV,
        "rg-dev-data",
        "dev-db-01-rpc",
        "northeurope",
        false,
        None,
    );
    history(&mut b, &c, &db, 14, 2, &[], None);
    let mut s = VmSpec::new(
        DEV,
        "rg-dev-edge",
        "edge-coreos-01",
        "northeurope",
        "Standard_D2s_v5",
        true,
    );
    s.os_name = "Fedora CoreOS 40".into();
    let k = b.vm(s);
    let c = b.collection(
        &k,
        DEV,
        "rg-dev-edge",
        "edge-coreos-01-rpc",
        "northeurope",
        false,
        None,
    );
    for i in 0..14 {
        // CoreOS guests only get crash-consistent points.
        b.point(
            &c,
            &k,
            &format!("rp-crash-{:03}", 14 - i),
            3.0 + i as f64 * 12.0,
            "CrashConsistent",
            &[],
            None,
        );
    }
    b.vm(VmSpec::new(
        DEV,
        "rg-dev-sandbox",
        "dev-sandbox-01",
        "northeurope",
        "Standard_B2ms",
        true,
    ));

    // --- Disaster recovery.
    let mut s = VmSpec::new(
        DR,
        "rg-dr-sql",
        "dr-sql-standby-01",
        "westus",
        "Standard_E8s_v5",
        false,
    )
    .data(data("Premium_LRS", 1024, "ReadOnly"));
    // Past extended support (2023-10-10) and its Extended Security Updates (2026-10-13).
    s.os_name = "Windows Server 2012 R2 Datacenter".into();
    s.os_version = Some("Microsoft Windows NT 6.3.9600.0");
    s.image = Image::Marketplace(
        "MicrosoftWindowsServer",
        "WindowsServer",
        "2012-R2-Datacenter",
    );
    let k = b.vm(s);
    let c = b.collection(
        &k,
        DR,
        "rg-dr-sql",
        "dr-sql-standby-01-rpc",
        "westus",
        false,
        None,
    );
    history(&mut b, &c, &k, 21, 0, &[], None);
    let mut s = VmSpec::new(
        DR,
        "rg-dr-web",
        "dr-web-01",
        "westus",
        "Standard_D2s_v5",
        true,
    )
    .data(data("StandardSSD_ZRS", 128, "None"));
    s.os_sku = "StandardSSD_ZRS";
    // A guest agent older than the oldest Microsoft supports (2.2.10).
    s.agent_version = Some("2.2.4");
    let k = b.vm(s);
    let c = b.collection(&k, DR, "rg-dr-web", "dr-web-01-rpc", "westus", false, None);
    history(&mut b, &c, &k, 14, 2, &[], None);
    let mut s = VmSpec::new(
        DR,
        "rg-dr-identity",
        "dr-dc-01",
        "centralus",
        "Standard_D2s_v5",
        false,
    );
    s.security_type = Some("TrustedLaunch");
    let k = b.vm(s);
    let c = b.collection(
        &k,
        DR,
        "rg-dr-identity",
        "dr-dc-01-rpc",
        "centralus",
        false,
        None,
    );
    history(&mut b, &c, &k, 28, 0, &[], None);

    ci_leak(&mut b);
    b.e
}

/// Contoso CI: two build agents whose pipeline made a collection for every run, took a
/// point, and deleted only the point when the run ended.
fn ci_leak(b: &mut Builder) {
    let agents: Vec<String> = ["ci-agent-01", "ci-agent-02"]
        .into_iter()
        .map(|n| {
            let mut s = VmSpec::new(CI, "rg-ci-agents", n, "eastus", "Standard_D2s_v5", true);
            s.os_sku = "StandardSSD_LRS";
            b.vm(s)
        })
        .collect();
    for run in 1..=CI_LEAKED_COLLECTIONS {
        let agent = &agents[run % agents.len()];
        b.collection(
            agent,
            CI,
            "rg-ci-agents",
            &format!("ci-run-{run:05}-rpc"),
            "eastus",
            false,
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::disk_rules::{host_caching, os_disk_sku, zone_fits, zone_required};
    use crate::emulator::state::key;

    /// The demo obeys the rules the emulator enforces on attach, so a restore into any
    /// demo VM fails only for the reason a test sets up.
    #[test]
    fn every_demo_disk_is_attached_the_way_the_emulator_allows() {
        let e = build(1_795_309_200.0);
        for vm in e.vms.values() {
            for slot in vm.all_disks() {
                let Some(disk) = slot.disk_id.as_deref().and_then(|id| e.disks.get(&key(id)))
                else {
                    continue;
                };
                let what = format!("{} / {}", vm.name, disk.name);
                assert!(zone_fits(&vm.zones, disk, "t").is_ok(), "{what}");
                assert!(
                    zone_required(&disk.sku, &disk.location, &disk.zones).is_ok(),
                    "{what}"
                );
                assert!(
                    host_caching(&disk.sku, &slot.caching, "t").is_ok(),
                    "{what}"
                );
                if slot.lun.is_none() {
                    assert!(os_disk_sku(&disk.sku).is_ok(), "{what}");
                }
            }
        }
    }

    #[test]
    fn contoso_ci_holds_a_subscription_region_near_the_collection_limit() {
        let e = build(1_795_309_200.0);
        let in_ci_eastus = e
            .collections
            .values()
            .filter(|c| c.id.contains(CI) && c.location == "eastus")
            .count();
        assert_eq!(in_ci_eastus, CI_LEAKED_COLLECTIONS);
        assert!(in_ci_eastus * 100 >= 10_000 * 80, "near the limit");
        assert!(in_ci_eastus < 10_000, "a new collection still fits");
    }

    #[test]
    fn the_deleted_vm_leaves_only_its_collection() {
        let e = build(1_795_309_200.0);
        let vm = rg_res(PROD, "rg-legacy-apps", "virtualMachines", "old-app-01");
        assert!(!e.vms.contains_key(&key(&vm)));
        assert!(!e.nics.keys().any(|k| k.contains("old-app-01")));
        assert!(!e.disks.keys().any(|k| k.contains("old-app-01")));
        let c = &e.collections[&key(&rg_res(
            PROD,
            "rg-legacy-apps",
            "restorePointCollections",
            "old-app-01-rpc",
        ))];
        assert!(c.source_id.eq_ignore_ascii_case(&vm));
        assert_eq!(c.points.len(), 5);
    }
}
