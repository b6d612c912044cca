#!/usr/bin/env bash
# Renders the README's screenshots with `rpdesk --screenshot` under Xvfb (Mesa, no GPU).
# Usage: dist/screenshots.sh [path/to/rpdesk]   (default: target/release/rpdesk)
# Needs: xvfb-run (Debian: xvfb xauth).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/rpdesk}"
out=assets/screenshots
mkdir -p "$out"

prod=/subscriptions/6f1c0d7e-2b7a-4c55-9a43-1d1e0a5b7c01
sql_vm=$prod/resourceGroups/rg-sql-prod/providers/Microsoft.Compute/virtualMachines/sql-prod-01
sql_rpc=$prod/resourceGroups/rg-sql-prod/providers/Microsoft.Compute/restorePointCollections/sql-prod-01-rpc
sql_point=$sql_rpc/restorePoints/rp-021-app
copy_rpc=$prod/resourceGroups/rg-sql-prod/providers/Microsoft.Compute/restorePointCollections/sql-prod-01-rpc-centralus
sap_vm=$prod/resourceGroups/rg-sap-prod/providers/Microsoft.Compute/virtualMachines/sap-hana-01
web_vm=$prod/resourceGroups/rg-web-prod/providers/Microsoft.Compute/virtualMachines/web-frontend-01
sandbox_vm=/subscriptions/8a2d4f19-5c3e-4e1b-b7d2-2f6a9c0e8d02/resourceGroups/rg-dev-sandbox/providers/Microsoft.Compute/virtualMachines/dev-sandbox-01
etl_point=$prod/resourceGroups/rg-analytics-prod/providers/Microsoft.Compute/restorePointCollections/etl-pv2-01-rpc/restorePoints/rp-in-progress
db_point=/subscriptions/8a2d4f19-5c3e-4e1b-b7d2-2f6a9c0e8d02/resourceGroups/rg-dev-data/providers/Microsoft.Compute/restorePointCollections/dev-db-01-rpc/restorePoints/rp-014-app
old_point=$sql_rpc/restorePoints/rp-003-app
old_rpc=$prod/resourceGroups/rg-legacy-apps/providers/Microsoft.Compute/restorePointCollections/old-app-01-rpc
dr_sql_vm=/subscriptions/3c9b7e25-8d41-4f6a-a0c3-5e7b1d2f9a03/resourceGroups/rg-dr-sql/providers/Microsoft.Compute/virtualMachines/dr-sql-standby-01
ci_rpc=/subscriptions/5d0e8a31-6b2f-4c7d-9e14-7a3c2b9f4d04/resourceGroups/rg-ci-agents/providers/Microsoft.Compute/restorePointCollections/ci-run-00007-rpc

shot() {
    local name=$1
    shift
    echo "== $name"
    WGPU_BACKEND=gl xvfb-run -a -s "-screen 0 1600x1000x24" "$bin" --screenshot "$out/$name.png" "$@" 2>/dev/null
}

for theme in light dark; do
    shot "1-subscriptions-$theme" --theme "$theme"
    shot "2-vm-$theme" --theme "$theme" --select "$sql_vm" --panel expand
    shot "3-collection-$theme" --theme "$theme" --select "$sql_rpc" --panel expand
    shot "4-restore-point-$theme" --theme "$theme" --select "$sql_point" --panel expand
    shot "5-disk-restore-point-$theme" --theme "$theme" --select "$sql_point" --panel expand --panel select-first-child
    shot "12-supportability-$theme" --theme "$theme" --select "$sap_vm" --panel supportability --panel crash
    shot "13-fleet-$theme" --theme "$theme" --panel fleet
    shot "14-consistency-timeline-$theme" --theme "$theme" --select "$web_vm" --panel consistency
    shot "26-cost-tab-$theme" --theme "$theme" --select "$sql_vm" --panel cost
    shot "27-fleet-cost-$theme" --theme "$theme" --panel cost-view
    shot "28-policy-comparison-$theme" --theme "$theme" --panel cost-compare
done
shot "29-point-cost-eur-light" --theme light --select "$sql_point" --panel cost --panel currency=EUR
shot "15-create-restore-point-light" --theme light --select "$sap_vm" --panel supportability --panel crash --panel create
shot "6-copy-in-progress-dark" --theme dark --select "$copy_rpc" --panel expand
shot "7-search-light" --theme light --panel search=ultra
shot "8-raw-json-dark" --theme dark --select "$sql_vm" --panel raw
shot "9-no-points-light" --theme light --select "$sandbox_vm"
shot "10-every-point-light" --theme light --panel all-points
shot "11-unreachable-endpoint-dark" --theme dark --endpoint http://127.0.0.1:9 --token demo
# A damaged demo estate file: named, and set aside on request.
damaged=$(mktemp -d)
printf '{"subscriptions": [' >"$damaged/demo-estate.json"
shot "11-damaged-demo-light" --theme light --data-dir "$damaged"
rm -rf "$damaged"
# A failed sign-in: no Azure CLI on PATH and no service principal in the environment (off
# Azure, managed identity fails too).
echo "== 11-sign-in-failed-light"
env -u AZURE_TENANT_ID -u AZURE_CLIENT_ID -u AZURE_CLIENT_SECRET -u AZURE_FEDERATED_TOKEN_FILE \
    PATH=/usr/sbin:/usr/bin:/sbin:/bin WGPU_BACKEND=gl \
    xvfb-run -a -s "-screen 0 1600x1000x24" "$bin" --screenshot "$out/11-sign-in-failed-light.png" \
    --theme light --azure 2>/dev/null
# The rules with their sources: a Windows Server 2012 R2 guest past its support dates.
shot "24-supportability-sources-light" --theme light --select "$dr_sql_vm" --panel supportability --panel app
# What a cross-region copy meets, before anything is sent.
shot "25-copy-to-another-region-light" --theme light --select "$db_point" --panel copy=westeurope
# The copy's confirmation with its az commands; the copy sent, each disk's progress (the
# demo at 20 × so the 1 TB disk is well on its way); a group point for avset-web.
shot "35-copy-confirm-light" --theme light --select "$sql_point" --panel copy-confirm=westus
shot "36-copy-progress-dark" --speed 20 --theme dark --select "$db_point" --panel copy-run=westeurope
shot "37-group-point-report-light" --theme light --select "$web_vm" --panel group-run

# The restore wizard, step by step (the runs use a fast demo clock: --speed 60).
shot "16-restore-source-light" --theme light --select "$sql_point" --panel restore
shot "16-restore-source-pending-dark" --theme dark --select "$etl_point" --panel restore
shot "17-restore-disks-light" --theme light --select "$sql_point" --panel restore --panel restore-step=disks
shot "18-restore-new-vm-light" --theme light --select "$sql_point" --panel restore --panel restore-step=new-vm
shot "18-restore-swap-dark" --theme dark --select "$sql_point" --panel restore --panel restore-step=swap
shot "19-restore-review-light" --theme light --select "$sql_point" --panel restore --panel restore-step=swap --panel restore-step=review
shot "20-restore-run-light" --theme light --speed 60 --select "$db_point" --panel restore --panel restore-step=swap --panel restore-step=run
shot "21-restore-evidence-light" --theme light --speed 60 --select "$db_point" --panel restore --panel restore-step=evidence
# A run paused by an injected fault, then the prompt the next start shows for it.
data=$(mktemp -d)
shot "22-restore-paused-dark" --theme dark --speed 60 --data-dir "$data" --select "$db_point" --panel restore --panel fault=serverError:/disks/ --panel restore-step=run
shot "23-restore-resume-prompt-light" --theme light --speed 60 --data-dir "$data"
shot "38-export-light" --theme light --panel export=csv
rm -rf "$data"
shot "39-read-only-light" --read-only --theme light --select "$sap_vm" --panel supportability --panel crash

# Keeping points tidy: delete (typed name), a clean-up's preview, a pinned label, leaks.
shot "30-delete-point-light" --theme light --select "$old_point" --panel delete=typed
shot "31-delete-collection-dark" --theme dark --select "$old_rpc" --panel delete
shot "32-cleanup-preview-light" --theme light --select "$sql_vm" --panel cleanup=14
shot "33-point-label-dark" --theme dark --select "$old_point" --panel label=CHG-1234
shot "34-leak-finder-light" --theme light --panel leaks=21
shot "40-read-on-demand-dark" --theme dark --select "$ci_rpc" --panel expand
