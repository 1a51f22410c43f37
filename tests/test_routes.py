"""Every route, so that none disappears (or appears) by accident."""

EXPECTED = {
    ("/", "GET"),
    ("/ngon-ngu/<lang>", "GET"),
    ("/dang-ky", "GET"),
    ("/dang-ky", "POST"),
    ("/dang-ky/thong-tin", "GET"),
    ("/dang-ky/thong-tin", "POST"),
    ("/dang-ky/phuong-xa", "GET"),
    ("/dang-ky/anh", "GET"),
    ("/dang-ky/anh", "POST"),
    ("/dang-ky/anh/<kind>.jpg", "GET"),
    ("/dang-ky/co-quan", "GET"),
    ("/dang-ky/co-quan", "POST"),
    ("/dang-ky/co-quan/danh-sach", "GET"),
    ("/dang-ky/xem-lai", "GET"),
    ("/dang-ky/xem-lai", "POST"),
    ("/dang-ky/xac-thuc", "GET"),
    ("/dang-ky/xac-thuc", "POST"),
    ("/dang-ky/xac-thuc/gui-lai", "POST"),
    ("/dang-ky/hoan-tat", "GET"),
    ("/dang-ky/hoan-tat/mau-01.pdf", "GET"),
    ("/dang-ky/huy-ho-so", "GET"),
    ("/dang-ky/huy-ho-so", "POST"),
    ("/tra-cuu/ho-so", "GET"),
    ("/tra-cuu/ho-so", "POST"),
    ("/dang-nhap", "GET"),
    ("/dang-nhap", "POST"),
    ("/dang-nhap/thiet-bi-khac", "GET"),
    ("/dang-nhap/thiet-bi-khac", "POST"),
    ("/dang-nhap/ma-xac-thuc", "GET"),
    ("/dang-nhap/ma-xac-thuc", "POST"),
    ("/dang-nhap/gui-lai-ma", "POST"),
    ("/dang-nhap/mat-khau-moi", "GET"),
    ("/dang-nhap/mat-khau-moi", "POST"),
    ("/dang-nhap/mat-khau-moi/xac-thuc", "GET"),
    ("/dang-nhap/mat-khau-moi/xac-thuc", "POST"),
    ("/dang-xuat", "POST"),
    ("/quen-mat-khau", "GET"),
    ("/quen-mat-khau", "POST"),
    ("/quen-mat-khau/dat-lai", "GET"),
    ("/quen-mat-khau/dat-lai", "POST"),
    ("/tai-khoan", "GET"),
    ("/tai-khoan/yeu-cau-thay-doi", "GET"),
    ("/tai-khoan/yeu-cau-thay-doi", "POST"),
    ("/tai-khoan/yeu-cau-thay-doi/xac-thuc", "GET"),
    ("/tai-khoan/yeu-cau-thay-doi/xac-thuc", "POST"),
    ("/tai-khoan/yeu-cau-thay-doi/gui-lai", "POST"),
    ("/tai-khoan/the-bhyt", "GET"),
    ("/tai-khoan/the-bhyt/xem", "GET"),
    ("/tai-khoan/qua-trinh", "GET"),
    ("/tai-khoan/qua-trinh/<int:period_id>", "GET"),
    ("/tai-khoan/thong-tin-huong", "GET"),
    ("/tai-khoan/kham-chua-benh", "GET"),
    ("/tai-khoan/thong-bao", "GET"),
    ("/sw.js", "GET"),
    ("/the-bhyt/khoa-cong-khai.json", "GET"),
    ("/the-bhyt/thu-hoi.json", "GET"),
    ("/tai-khoan/doi-mat-khau", "GET"),
    ("/tai-khoan/doi-mat-khau", "POST"),
    ("/tai-khoan/doi-mat-khau/xac-thuc", "GET"),
    ("/tai-khoan/doi-mat-khau/xac-thuc", "POST"),
    ("/tra-cuu", "GET"),
    ("/tra-cuu/co-quan-bhxh", "GET"),
    ("/tra-cuu/co-so-kcb", "GET"),
    ("/ho-tro", "GET"),
    ("/healthz", "GET"),
    ("/can-bo/", "GET"),
    ("/can-bo/cap-nhat", "GET"),
    ("/can-bo/cap-nhat/<int:change_id>", "GET"),
    ("/can-bo/cap-nhat/<int:change_id>", "POST"),
    ("/can-bo/cap-nhat/<int:change_id>/xac-nhan", "POST"),
    ("/can-bo/dang-ky-xac-thuc", "GET"),
    ("/can-bo/dang-ky-xac-thuc", "POST"),
    ("/can-bo/dang-nhap", "GET"),
    ("/can-bo/dang-nhap", "POST"),
    ("/can-bo/dang-xuat", "POST"),
    ("/can-bo/giu-phien", "POST"),
    ("/can-bo/ho-so", "GET"),
    ("/can-bo/ho-so/<int:dossier_id>", "GET"),
    ("/can-bo/ho-so/<int:dossier_id>/anh/<kind>.jpg", "GET"),
    ("/can-bo/ho-so/<int:dossier_id>/danh-gia", "POST"),
    ("/can-bo/ho-so/<int:dossier_id>/danh-gia/xac-nhan", "POST"),
    ("/can-bo/ho-so/<int:dossier_id>/tiep-nhan", "POST"),
    ("/can-bo/quan-tri", "GET"),
    ("/can-bo/quan-tri", "POST"),
    ("/can-bo/quan-tri/<int:staff_id>/dat-lai", "POST"),
    ("/can-bo/quan-tri/<int:staff_id>/trang-thai", "POST"),
    ("/can-bo/xac-thuc", "GET"),
    ("/can-bo/xac-thuc", "POST"),
    ("/can-bo/quan-tri/kiosk", "GET"),
    ("/can-bo/quan-tri/kiosk", "POST"),
    ("/can-bo/quan-tri/kiosk/<int:kiosk_id>/doi-ten", "POST"),
    ("/can-bo/quan-tri/kiosk/<int:kiosk_id>/thu-hoi", "POST"),
    ("/can-bo/quan-tri/kiosk/<int:kiosk_id>/cap-ma", "POST"),
    ("/kiosk", "GET"),
    ("/kiosk/ghi-danh", "GET"),
    ("/kiosk/ghi-danh", "POST"),
    ("/kiosk/tiep-nhan", "POST"),
    ("/kiosk/quet", "POST"),
    ("/kiosk/anh/<int:checkin_id>.jpg", "GET"),
    ("/kiosk/phien", "GET"),
    ("/kiosk/sw.js", "GET"),
    ("/can-bo/ban-dang-ky", "GET"),
    ("/can-bo/ban-dang-ky", "POST"),
    ("/can-bo/ban-dang-ky/<int:draft_id>/thong-tin", "GET"),
    ("/can-bo/ban-dang-ky/<int:draft_id>/thong-tin", "POST"),
    ("/can-bo/ban-dang-ky/<int:draft_id>/anh", "GET"),
    ("/can-bo/ban-dang-ky/<int:draft_id>/anh", "POST"),
    ("/can-bo/ban-dang-ky/<int:draft_id>/anh/<kind>.jpg", "GET"),
    ("/can-bo/ban-dang-ky/<int:draft_id>/xac-minh", "GET"),
    ("/can-bo/ban-dang-ky/<int:draft_id>/xac-minh", "POST"),
    ("/can-bo/ban-dang-ky/<int:draft_id>/xem-lai", "GET"),
    ("/can-bo/ban-dang-ky/<int:draft_id>/xem-lai", "POST"),
    ("/can-bo/ban-dang-ky/<int:draft_id>/xac-thuc", "GET"),
    ("/can-bo/ban-dang-ky/<int:draft_id>/xac-thuc", "POST"),
    ("/can-bo/ban-dang-ky/<int:draft_id>/xac-thuc/gui-lai", "POST"),
    ("/can-bo/ban-dang-ky/<int:draft_id>/huy", "POST"),
    ("/can-bo/ban-dang-ky/<int:draft_id>/xong", "GET"),
    ("/can-bo/ban-dang-ky/<int:draft_id>/mau-01.pdf", "GET"),
    ("/tin-tuc", "GET"),
    ("/tin-tuc/<int:post_id>", "GET"),
    ("/tin-tuc/<int:post_id>-<slug>", "GET"),
    ("/tin-tuc/anh/<name>", "GET"),
    ("/tin-tuc/video/<name>", "GET"),
    ("/can-bo/tin-tuc", "GET"),
    ("/can-bo/tin-tuc/moi", "GET"),
    ("/can-bo/tin-tuc/moi", "POST"),
    ("/can-bo/tin-tuc/<int:post_id>", "GET"),
    ("/can-bo/tin-tuc/<int:post_id>", "POST"),
    ("/can-bo/tin-tuc/<int:post_id>/dang", "POST"),
    ("/can-bo/tin-tuc/<int:post_id>/go", "POST"),
    ("/can-bo/tin-tuc/<int:post_id>/video", "POST"),
    ("/can-bo/tin-tuc/<int:post_id>/video", "GET"),
    ("/can-bo/tin-tuc/<int:post_id>/anh.jpg", "GET"),
    ("/dev/outbox", "GET"),  # development and tests only
}


def _routes(app):
    return {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_route_is_listed(app):
    assert _routes(app) == EXPECTED


def test_dev_outbox_is_absent_in_production(database_url, tmp_path):
    from vss import create_app

    app = create_app(
        "production",
        DATABASE_URL=database_url,
        SECRET_KEY="x",
        MIGRATE_ON_START=False,
        HUEY_SQLITE_PATH=str(tmp_path / "huey.db"),
    )
    assert ("/dev/outbox", "GET") not in _routes(app)


def test_production_refuses_to_start_without_secret_key(database_url):
    import pytest

    from vss import create_app

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", DATABASE_URL=database_url, SECRET_KEY=None)
