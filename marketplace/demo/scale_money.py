"""Writing what the claim walk gathered (scale_claims): pension-proof files, claims with their
events and approvals, every region's budget account with an allocation that covers its
approvals, the ledger, claim months, payment runs and payments."""

import hashlib
from datetime import timedelta
from decimal import ROUND_CEILING, Decimal

from marketplace.demo.claims import DEMO_PROOF
from marketplace.demo.scale_claims import ZERO

MILLION, BASE_ALLOCATION = Decimal("1000000"), Decimal("10000000")
PROOF, PROOF_SHA256 = DEMO_PROOF, hashlib.sha256(DEMO_PROOF).hexdigest()
CLAIM_COLUMNS = ("id", "employment_id", "programme_id", "region_id", "rule_version_id",
                 "organisation_id", "status", "monthly_amount", "months", "total_amount",
                 "no_wage_arrears", "created_by_id", "submitted_by_id", "review_round",
                 "decided_at", "decision_reason", "document_code", "created_at", "updated_at")


def write_claims(claims) -> None:
    """The rows a walk of the claims gathered, parents first."""
    writer, rows = claims.scale.writer, claims.rows
    writer.write("stored_file", ("id", "owner_id", "storage_key", "original_name",
                                 "content_type", "size", "sha256", "created_at"),
                 ((i, owner, key, "pension-contributions.pdf", "application/pdf",
                   len(PROOF), PROOF_SHA256, at) for i, owner, key, at in rows["stored_file"]))
    claims.scale.files = [key for _, _, key, _ in rows["stored_file"]]
    writer.write("claim", CLAIM_COLUMNS, rows["claim"])
    writer.write("claim_event", ("id", "claim_id", "action", "from_status", "to_status",
                                 "actor_id", "reason", "created_at"), rows["claim_event"])
    writer.write("claim_approval", ("id", "claim_id", "staff_id", "review_round", "reason",
                                    "created_at"), rows["claim_approval"])
    accounts = _accounts(claims.scale)
    writer.write("budget_entry", ("id", "account_id", "kind", "amount", "claim_id", "month",
                                  "actor_id", "note", "created_at"),
                 [*_allocations(claims, accounts),
                  *((i, accounts[key], *rest) for i, key, *rest in rows["budget_entry"])])
    writer.write("claim_month", ("id", "claim_id", "month", "hours_worked", "wage_paid",
                                 "pension_file_id", "status", "amount", "submitted_by_id",
                                 "submitted_at", "decided_by_id", "decided_at",
                                 "query_reason"), rows["claim_month"])
    writer.write("payment_run", ("id", "month", "started_at", "finished_at", "paid_count",
                                 "failed_count", "total", "order_file"),
                 ((i, month, at, at + timedelta(minutes=7), paid, 0, total,
                   f"payment-order-{month:%Y-%m}-run-{i}.csv")
                  for (month, _), (i, at, paid, total) in sorted(claims.runs.items())))
    writer.write("payment", ("id", "claim_id", "month", "amount", "run_id", "created_at"),
                 rows["payment"])


def _accounts(scale) -> dict[tuple[int, int], int]:
    """Every programme's account in every region: the demo's where they exist."""
    accounts = dict(scale.existing_accounts)
    new = [(programme.id, region.id) for programme in scale.ref.programmes.values()
           for region in scale.ref.regions
           if (programme.id, region.id) not in accounts]
    ids = scale.writer.next_ids("budget_account", len(new))
    accounts.update(zip(new, ids, strict=True))
    scale.writer.write("budget_account", ("id", "programme_id", "region_id"),
                       ((i, p, r) for (p, r), i in zip(new, ids, strict=True)))
    return accounts


def _allocations(claims, accounts):
    """Each region's budget, given before the history starts: what its approvals reserve,
    a quarter more, and a base."""
    scale = claims.scale
    at = scale.clock.start - timedelta(days=10)
    for key, account_id in sorted(accounts.items()):
        reserved = claims.reserved.get(key, ZERO) * Decimal("1.25") + BASE_ALLOCATION
        amount = (reserved / MILLION).to_integral_value(rounding=ROUND_CEILING) * MILLION
        entry_id = scale.writer.next_id("budget_entry")
        scale.audit.add("budget:allocation", "budget_entry", entry_id, None, at,
                        amount=str(amount), account=account_id, claim=None)
        yield entry_id, account_id, "allocation", amount, None, None, None, \
            "scale allocation", at
