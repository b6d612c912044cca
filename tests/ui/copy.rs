//! Copying a restore point to another region from the inspector, in the real app on the
//! demo estate: the dialog warns what a cross-region copy meets before anything is sent.

use std::time::Duration;

use crate::ui_support::*;
use egui_kittest::kittest::Queryable as _;
use rpdesk::inventory::NodeId;
use rpdesk::model::ResourceId;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copying_a_point_warns_that_private_links_are_not_supported_then_copies_it() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);

    // dev-db-01's newest point, in northeurope.
    let point = ResourceId::parse(
        "/subscriptions/8a2d4f19-5c3e-4e1b-b7d2-2f6a9c0e8d02/resourceGroups/rg-dev-data/providers/Microsoft.Compute/restorePointCollections/dev-db-01-rpc/restorePoints/rp-014-app",
    )
    .expect("id");
    h.state_mut()
        .run(rpdesk::ui::Command::Reveal(NodeId::Point(point.clone())));
    h.run_steps(4);
    h.get_by_label("Copy to another region…").click();
    h.run_steps(2);
    if let Some(d) = h.state_mut().ui.copy_dialog.as_mut() {
        d.region = "westeurope".into();
    }
    h.run_steps(4);
    assert!(
        h.query_all_by_label_contains("Private links aren't supported when copying")
            .next()
            .is_some(),
        "the dialog warns about private links (seed 000)"
    );
    assert!(
        h.query_all_by_label_contains("Source: seed 000")
            .next()
            .is_some(),
        "the warning names its source"
    );

    h.get_by_label("Copy…").click();
    h.run_steps(6);
    let plan = h
        .state()
        .ui
        .copy_dialog
        .as_ref()
        .and_then(|d| d.pending.clone())
        .expect("pending");
    let az = copied_az_commands(&mut h);
    let expected = rpdesk::restore::az::rest_commands(&plan.calls()).join("\n");
    assert_eq!(az, expected, "the commands shown are the copy's calls");
    assert!(az.contains("sourceRestorePoint"), "{az}");
    h.get_by_label("Copy restore point").click();
    h.run_steps(2);
    assert!(h.state().ui.copy_dialog.is_none(), "the dialog closed");
    let target = ResourceId::parse(
        "/subscriptions/8a2d4f19-5c3e-4e1b-b7d2-2f6a9c0e8d02/resourceGroups/rg-dev-data/providers/Microsoft.Compute/restorePointCollections/dev-db-01-rpc-westeurope",
    )
    .expect("id");
    // A copy takes virtual minutes per GB: the PUT going out (after the target
    // collection is created) is what this test waits for.
    step_until(
        &mut h,
        "the copy PUT to be sent",
        Duration::from_secs(60),
        |app| {
            app.inventory
                .copies
                .get(&target)
                .is_some_and(|c| c.len() == 1)
        },
    );
    assert!(
        h.state()
            .activity
            .entries()
            .iter()
            .any(|e| e.title
                == "Copy restore point rp-014-app to westeurope as rp-014-app-westeurope"),
        "the copy runs as an operation in the activity log"
    );
}
