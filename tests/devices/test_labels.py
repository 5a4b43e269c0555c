"""Product labels and the demo catalogue: every label, saved as PNG, scans back with
zxing-cpp to exactly its product's code; the catalogue finds what a scanner sends and
refuses a file with a mistake."""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from devices.catalogue import CatalogueError, load_catalogue, store_catalogue
from devices.labels import LABEL_PX, price_text, render_label, save_label

CATALOGUE = load_catalogue()


@pytest.mark.parametrize("product", CATALOGUE.products, ids=lambda p: p.sku)
@pytest.mark.parametrize(("symbology", "fmt"), [("ean13", zxingcpp.BarcodeFormat.EAN13),
                                                ("code128", zxingcpp.BarcodeFormat.Code128)])
def test_every_demo_label_scans_back_to_exactly_its_code(tmp_path: Path, product, symbology,
                                                         fmt):
    path = tmp_path / f"{product.sku}.png"
    save_label(render_label(product, price_text(CATALOGUE, product), symbology, "zh-TW"), path)
    found = zxingcpp.read_barcodes(Image.open(path))
    expected = product.ean13 if symbology == "ean13" else product.sku
    assert [(b.text, b.format) for b in found] == [(expected, fmt)]
    assert CATALOGUE.find(found[0].text) == product  # a scan of the label finds the product


def test_a_label_is_50_by_30_mm_at_300_dpi(tmp_path: Path):
    product = CATALOGUE.products[0]
    save_label(render_label(product, "TWD 65"), tmp_path / "label.png")
    with Image.open(tmp_path / "label.png") as image:
        assert image.size == LABEL_PX == (591, 354)
        assert tuple(round(d) for d in image.info["dpi"]) == (300, 300)


def test_labels_are_png_only(tmp_path: Path):
    with pytest.raises(ValueError, match=r"\.png"):
        save_label(render_label(CATALOGUE.products[0], "TWD 65"), tmp_path / "label.jpg")


def test_prices_print_in_major_units():
    tea = CATALOGUE.find("TEA-OOLONG")
    assert tea is not None and price_text(CATALOGUE, tea) == "TWD 65"


def test_the_demo_catalogue_has_names_in_every_language():
    for p in CATALOGUE.products:
        assert {"en", "zh-TW", "zh-CN"} <= set(p.name)
    cake = CATALOGUE.find("2000001000038")
    assert cake is not None and cake.name_in("zh-CN") == "凤梨酥" and cake.price == 45


def write(tmp_path: Path, products: str) -> Path:
    path = tmp_path / "catalogue.toml"
    path.write_text('schema = 1\ncurrency = "EUR"\nminor_units = 2\n' + products)
    return path


PRODUCT = '[[products]]\nsku = "{sku}"\nean13 = "{ean}"\nprice = 1250\nname = {{ en = "X" }}\n'


def test_a_scanner_sending_upc_a_finds_the_ean_13_product(tmp_path: Path):
    cat = load_catalogue(write(tmp_path, PRODUCT.format(sku="A-1", ean="0012345678905")))
    assert cat.find("012345678905") is not None  # UPC-A: the EAN-13 without its leading 0
    assert cat.find("0012345678905") is not None
    assert cat.find("A-1") is not None
    assert cat.find("999") is None
    assert price_text(cat, cat.products[0]) == "EUR 12.50"


@pytest.mark.parametrize(("products", "message"), [
    (PRODUCT.format(sku="A-1", ean="0012345678901"),
     "catalogue.toml: products[0].ean13: check digit of 0012345678901 should be 5"),
    (PRODUCT.format(sku="A-1", ean="0012345678905") + PRODUCT.format(sku="A-1",
                                                                     ean="2000001000014"),
     "products: A-1 is on two products"),
    (PRODUCT.format(sku="a 1", ean="0012345678905"), "products[0].sku: String should match"),
    (PRODUCT.format(sku="A-1", ean="0012345678905").replace('en = "X"', 'zh-TW = "X"'),
     "products[0].name: every product needs an English name"),
])
def test_a_catalogue_with_a_mistake_is_refused_naming_the_product(tmp_path: Path, products,
                                                                  message):
    with pytest.raises(CatalogueError) as err:
        load_catalogue(write(tmp_path, products))
    assert message in str(err.value)


def test_a_kiosk_uses_its_stores_own_catalogue_else_the_demo_one_in_demo_mode(tmp_path: Path):
    assert store_catalogue(tmp_path, demo=False, currency="EUR", minor_units=2) is None
    demo = store_catalogue(tmp_path, demo=True, currency="TWD", minor_units=0)
    assert demo == CATALOGUE
    write(tmp_path, PRODUCT.format(sku="A-1", ean="0012345678905"))
    own = store_catalogue(tmp_path, demo=True, currency="EUR", minor_units=2)
    assert own is not None and [p.sku for p in own.products] == ["A-1"]


def test_a_catalogue_in_another_currency_than_the_program_is_refused(tmp_path: Path):
    write(tmp_path, PRODUCT.format(sku="A-1", ean="0012345678905"))
    with pytest.raises(CatalogueError, match="prices are in EUR with 2 decimals, but the "
                                             "loyalty program counts TWD with 0"):
        store_catalogue(tmp_path, demo=False, currency="TWD", minor_units=0)
