"""Listings and reference rows as plain dicts for JSON.

Only public fields are named here, one by one: the confidential `detail`, rejection notes, the creator and
private attachments never leave through the API, whatever is added to the model later.
"""
from datetime import date, datetime, timezone

from flask import url_for

from marketplace.api.services import visible
from marketplace.core.policy import can
from marketplace.interest.models import ANONYMOUS_OWNER

API_ENDPOINTS = {"offer": "api.offer", "need": "api.need", "ip": "api.ip_asset"}
IP_FIELDS = ("ip_type", "ip_number", "ip_grant_number", "ip_filing_date", "ip_grant_date", "ip_status", "ip_owners")


def iso(value):
    """A date as YYYY-MM-DD, a datetime as ISO 8601 with its offset (SQLite's naive values are UTC)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def listing_item(listing):
    """The public fields of a listing, as they appear in lists."""
    item = {
        "id": listing.id,
        "ref": listing.ref,
        "kind": listing.kind,
        "title": listing.title,
        "summary": listing.summary,
        "sector_code": listing.sector_code,
        "keywords": listing.keyword_list,
    }
    if listing.kind == "need":
        item["min_trl"] = listing.min_trl
    else:
        item["trl"] = listing.trl
    item["transfer_modes"] = listing.transfer_modes
    if listing.kind == "need":
        item["budget_vnd_max"] = listing.budget_vnd_max
    else:
        item["price_type"] = listing.price_type
        item["price_vnd"] = listing.price_vnd
    if listing.kind == "ip":
        item["ip_type"] = listing.ip_type
        item["ip_number"] = listing.ip_number
        item["ip_status"] = listing.ip_status
    item.update({
        "status": listing.status,
        "locality": listing.locality_code,
        "owner": listing_owner(listing),
        "url": url_for("listings.detail", listing_id=listing.id, _external=True),
        "api_url": url_for(API_ENDPOINTS[listing.kind], listing_id=listing.id, _external=True),
        "created_at": iso(listing.created_at),
        "updated_at": iso(listing.updated_at),
        "published_at": iso(listing.published_at),
        "expires_at": iso(listing.expires_at),
    })
    return item


def listing_detail(listing):
    """A listing's public page as JSON: the list fields, sector and locality spelled out, IP fields, public files."""
    item = listing_item(listing)
    sector = listing.sector
    item["sector"] = {"code": sector.code, "name_vi": sector.name_vi, "name_en": sector.name_en} if sector else None
    locality = listing.locality
    item["locality_info"] = {"code": locality.code, "name_vi": locality.name_vi} if locality else None
    if listing.kind == "ip" or listing.ip_type or listing.ip_number:
        item["ip"] = {key: iso(getattr(listing, key)) if key.endswith("_date") else getattr(listing, key)
                      for key in IP_FIELDS}
        if not can(None, "listing.view_owner", listing):
            item["ip"]["ip_owners"] = None  # the right holders are usually the anonymous owner itself
    if listing.kind == "offer":
        item["ip_assets"] = [linked_item(asset) for asset in _linkable(listing, visible(listing.ip_assets))]
    if listing.kind == "ip":
        item["offers"] = [linked_item(offer) for offer in _linkable(listing, visible(listing.offers))]
    item["attachments"] = [attachment_item(a) for a in listing.attachments if a.is_public]
    return item


def _linkable(listing, others):
    """The linked listings that do not give an anonymous owner away: a link between a listing whose owner shows
    and one whose owner is hidden would tell who owns the hidden one."""
    shown = can(None, "listing.view_owner", listing)
    return [other for other in others if can(None, "listing.view_owner", other) == shown]


def linked_item(listing):
    """A short reference to another listing (an offer's IP asset, an IP asset's offers)."""
    return {
        "id": listing.id,
        "ref": listing.ref,
        "kind": listing.kind,
        "title": listing.title,
        "url": url_for("listings.detail", listing_id=listing.id, _external=True),
        "api_url": url_for(API_ENDPOINTS[listing.kind], listing_id=listing.id, _external=True),
    }


def listing_owner(listing):
    """The owner of a listing as a visitor may know it: its public identity, or for an anonymous listing
    {"anonymous": true, "name": "Anonymous owner"} and nothing that leads to it."""
    if can(None, "listing.view_owner", listing):
        return {**owner_item(listing.owner), "anonymous": False}
    return {"id": None, "name": str(ANONYMOUS_OWNER), "kind": None, "url": None, "anonymous": True}


def owner_item(org):
    """The owner organisation's public identity."""
    return {
        "id": org.id,
        "name": org.name,
        "kind": org.kind,
        "url": url_for("accounts.org_detail", org_id=org.id, _external=True),
    }


def attachment_item(attachment):
    """A public attachment's name, size, type and download address."""
    return {
        "name": attachment.original_name,
        "size": attachment.size,
        "content_type": attachment.content_type,
        "url": attachment_url(attachment),
    }


def attachment_url(attachment):
    """The download address of an attachment."""
    return url_for("listings.attachment", attachment_id=attachment.id, _external=True)


def sector_item(sector):
    """A field or sector of the national S&T classification."""
    return {
        "code": sector.code,
        "parent": sector.parent_code,
        "name_vi": sector.name_vi,
        "name_en": sector.name_en,
        "level": sector.level,
    }


def locality_item(locality):
    """A locality of the province."""
    return {"code": locality.code, "name_vi": locality.name_vi, "kind": locality.kind}


def search_facets(facets):
    """Facet counts keyed by the query parameter that selects each value: fields (one digit) and sectors both
    go to sector_code, localities to locality."""
    out = {}
    for name, counts in facets.items():
        key = {"sector_group": "sector_code", "locality_code": "locality"}.get(name, name)
        out.setdefault(key, {}).update(counts)
    return out


def search_item(results):
    """A search answer: total, hits (with highlighted snippets as HTML), facet counts, suggestion, and how the
    query was read."""
    reading = results.reading
    return {
        "total": results.total,
        "approximate": results.approximate,
        "page": results.args.page,
        "per_page": results.args.per_page,
        "items": [{
            "kind": hit.kind,
            "id": hit.id,
            "ref": hit.ref,
            "title": hit.title,
            "score": hit.score,
            "highlight": str(hit.highlight),
            "url": url_for("listings.detail", listing_id=hit.id, _external=True) if hit.kind != "org"
            else url_for("accounts.org_detail", org_id=hit.id, _external=True),
        } for hit in results.hits],
        "facets": search_facets(results.facets),
        "suggestion": results.suggestion,
        "understood": [{"kind": n.kind, "source": n.source, "target": n.target} for n in reading.notes]
        if reading else [],
        "solutions_first": results.solutions_first,
        "degraded": results.degraded,
    }


def match_list(listing, suggestions):
    """{"items": [...]} of a listing's suggested matches: the other listing, the score, reasons and violations
    as codes with sentences in the request's language."""
    from marketplace.matching.services import counterpart, match_reasons, reason_text

    other = "offer" if listing.kind == "need" else "need"
    items = []
    for suggestion in suggestions:
        match = counterpart(suggestion, listing)
        items.append({
            other: {"id": match.id, "ref": match.ref, "title": match.title,
                    "url": url_for("listings.detail", listing_id=match.id, _external=True)},
            "score": round(suggestion.score, 3),
            "fits": suggestion.fits,
            "reasons": [{"code": r["code"], "text": reason_text(r)} for r in match_reasons(suggestion)],
            "violations": [{"code": v["code"], "text": reason_text(v)} for v in suggestion.violations],
        })
    return {"items": items}
