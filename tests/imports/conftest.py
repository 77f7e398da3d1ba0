"""Fixtures for the import tests: files written from rows, in each format."""
import csv
import io
import json

import pytest

HEADER = ("kind", "ref", "title", "summary", "description", "sector_code", "trl", "min_trl", "transfer_modes",
          "price_vnd", "budget_vnd_max", "keywords", "ip_type", "ip_number", "owner_org", "owner_kind", "locality",
          "status")


def offer_row(**fields):
    """A good offer row as a dict, with `fields` changed."""
    row = {"kind": "offer", "ref": "SKHCN-CB-001", "title": "Công nghệ sấy lạnh nông sản",
           "summary": "Sấy lạnh giữ màu và dinh dưỡng của rau quả.", "description": "Thông số buồng sấy, bí mật.",
           "sector_code": "401", "trl": "7", "transfer_modes": "license;technical_service",
           "price_vnd": "250.000.000", "keywords": "sấy lạnh;nông sản", "owner_org": "Viện Cơ điện Nông nghiệp",
           "owner_kind": "institute", "locality": "Phủ Lý", "status": "published"}
    row.update(fields)
    return row


def need_row(**fields):
    """A good need row as a dict, with `fields` changed."""
    row = {"kind": "need", "ref": "SKHCN-NC-001", "title": "Cần công nghệ xử lý nước thải dệt nhuộm",
           "summary": "Hợp tác xã cần xử lý 50 m³ nước thải mỗi ngày.", "sector_code": "207", "min_trl": "6",
           "transfer_modes": "turnkey", "budget_vnd_max": "1200000000", "keywords": "nước thải",
           "owner_org": "Hợp tác xã Dệt Nha Xá", "owner_kind": "enterprise", "locality": "duy-tien"}
    row.update(fields)
    return row


def csv_bytes(rows, header=HEADER, delimiter=",", bom=False):
    """Rows (dicts) as CSV bytes."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, delimiter=delimiter, extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def xlsx_bytes(rows_as_lists):
    """A workbook whose first sheet holds the given rows (the first one being the header)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for values in rows_as_lists:
        sheet.append(list(values))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def json_bytes(items, wrap=False):
    """Items as JSON bytes, optionally wrapped as {"items": [...]}."""
    return json.dumps({"items": items} if wrap else items, ensure_ascii=False).encode("utf-8")


@pytest.fixture
def write_file(tmp_path):
    """write_file(name, data) -> path of a file in a temporary folder."""

    def write(name, data):
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    return write
