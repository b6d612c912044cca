"""Microsoft's Azure SDK for Python drives the whole restore point lifecycle against the
rpdesk emulator, unchanged: the only customisation is where it points (base_url) and how
it authenticates (a static bearer token, because the emulator is plain-http loopback and
azure-core's bearer policies refuse to send tokens over http)."""

import os
import time

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.core.pipeline.policies import SansIOHTTPPolicy
from azure.mgmt.compute import ComputeManagementClient
from azure.mgmt.resource.resources import ResourceManagementClient
from azure.mgmt.resource.subscriptions import SubscriptionClient

BASE_URL = os.environ.get("RPDESK_EMULATOR_URL", "")
PROD = "6f1c0d7e-2b7a-4c55-9a43-1d1e0a5b7c01"
DEV = "8a2d4f19-5c3e-4e1b-b7d2-2f6a9c0e8d02"

pytestmark = pytest.mark.skipif(not BASE_URL, reason="RPDESK_EMULATOR_URL is not set (run tests/python/run.sh)")


class StaticBearer(SansIOHTTPPolicy):
    """Adds a fixed bearer token to every request."""

    def on_request(self, request):
        request.http_request.headers["Authorization"] = "Bearer rpdesk-sdk-test"


class UnusedCredential:
    """The clients need a credential object; StaticBearer makes it unused."""

    def get_token(self, *scopes, **kwargs):
        raise AssertionError("the static bearer policy should be used instead")


def client_kwargs():
    # Short polling keeps the test quick; Retry-After from the emulator still applies.
    return {"base_url": BASE_URL, "authentication_policy": StaticBearer(), "polling_interval": 1}


@pytest.fixture(scope="module")
def compute():
    return ComputeManagementClient(UnusedCredential(), PROD, **client_kwargs())


@pytest.fixture(scope="module")
def compute_dev():
    return ComputeManagementClient(UnusedCredential(), DEV, **client_kwargs())


def vm_id(sub, rg, name):
    return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}"


def test_lists_subscriptions_groups_vms_disks_and_collections(compute):
    subs = list(SubscriptionClient(UnusedCredential(), **client_kwargs()).subscriptions.list())
    names = {s.display_name for s in subs}
    assert {"Contoso Production", "Contoso Development", "Contoso Disaster Recovery"} <= names

    groups = list(ResourceManagementClient(UnusedCredential(), PROD, **client_kwargs()).resource_groups.list())
    assert any(g.name == "AzureBackupRG_eastus_1" for g in groups)

    vms = list(compute.virtual_machines.list_all())
    assert len(vms) > 20  # more than one page: the SDK followed nextLink
    assert any(v.name == "sql-prod-01" for v in vms)
    disks = list(compute.disks.list())
    assert any(d.sku.name == "UltraSSD_LRS" for d in disks)
    collections = list(compute.restore_point_collections.list_all())
    assert any(c.name == "sql-prod-01-rpc" for c in collections)
    rpc = compute.restore_point_collections.get("rg-sql-prod", "sql-prod-01-rpc", expand="restorePoints")
    assert len(rpc.restore_points) >= 20
    assert rpc.restore_points[0].consistency_mode in ("ApplicationConsistent", "CrashConsistent")

    vm = compute.virtual_machines.get("rg-ops-prod", "jumpbox-01", expand="instanceView")
    assert any(s.code == "PowerState/deallocated" for s in vm.instance_view.statuses)


def test_full_restore_point_lifecycle(compute_dev):
    c = compute_dev
    rg, rpc_name, rp_name = "rg-dev-sandbox", "sdk-rpc", "sdk-point"
    rpc = c.restore_point_collections.create_or_update(
        rg,
        rpc_name,
        {"location": "northeurope", "properties": {"source": {"id": vm_id(DEV, rg, "dev-sandbox-01")}}, "tags": {"by": "sdk"}},
    )
    assert rpc.provisioning_state == "Succeeded"

    poller = c.restore_points.begin_create(rg, rpc_name, rp_name, {"properties": {"consistencyMode": "CrashConsistent"}})
    point = poller.result(timeout=120)
    assert point.provisioning_state == "Succeeded"

    point = c.restore_points.get(rg, rpc_name, rp_name, expand="instanceView")
    drps_view = point.instance_view.disk_restore_points
    assert drps_view and all(d.snapshot_access_state == "Available" for d in drps_view)

    drps = list(c.disk_restore_point.list_by_restore_point(rg, rpc_name, rp_name))
    assert len(drps) == len(drps_view)
    drp = c.disk_restore_point.get(rg, rpc_name, rp_name, drps[0].name)
    assert drp.source_resource_id

    disk = c.disks.begin_create_or_update(
        rg,
        "sdk-restored-os",
        {"location": "northeurope", "properties": {"creationData": {"createOption": "Restore", "sourceResourceId": drp.id}}},
    ).result(timeout=120)
    assert disk.provisioning_state == "Succeeded"
    assert disk.creation_data.create_option == "Restore"

    c.restore_points.begin_delete(rg, rpc_name, rp_name).result(timeout=120)
    with pytest.raises(ResourceNotFoundError):
        c.restore_points.get(rg, rpc_name, rp_name)
    c.restore_point_collections.begin_delete(rg, rpc_name).result(timeout=120)
    with pytest.raises(ResourceNotFoundError):
        c.restore_point_collections.get(rg, rpc_name)


def error_code(excinfo):
    err = excinfo.value.error
    return err.code if err is not None else None


def test_refusals_arrive_as_http_response_errors_with_arm_codes(compute):
    # Crash-consistent with Ultra disks not excluded.
    with pytest.raises(HttpResponseError) as e:
        compute.restore_points.begin_create("rg-sap-prod", "sap-hana-01-rpc", "sdk-crash", {"properties": {"consistencyMode": "CrashConsistent"}})
    assert error_code(e) == "OperationNotAllowed"
    assert e.value.status_code == 400

    # Stale source.id after the VM moved to another resource group.
    with pytest.raises(HttpResponseError) as e:
        compute.restore_points.begin_create("rg-erp-legacy", "legacy-erp-01-rpc", "sdk-moved", {"properties": {}})
    assert error_code(e) == "SourceVmNotFound"

    # Confidential VM: the collection can be made, the point cannot.
    compute.restore_point_collections.create_or_update(
        "rg-secure-prod",
        "sdk-conf-rpc",
        {"location": "westeurope", "properties": {"source": {"id": vm_id(PROD, "rg-secure-prod", "conf-vault-01")}}},
    )
    with pytest.raises(HttpResponseError) as e:
        compute.restore_points.begin_create("rg-secure-prod", "sdk-conf-rpc", "sdk-p", {"properties": {}})
    assert error_code(e) == "OperationNotAllowed"

    # A missing resource is a 404 with ResourceNotFound.
    with pytest.raises(ResourceNotFoundError) as e:
        compute.virtual_machines.get("rg-sql-prod", "no-such-vm")
    assert error_code(e) == "ResourceNotFound"
