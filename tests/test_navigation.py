from tests.conftest_constants import PASSWORD


def _nav(client, user) -> str:
    client.login(username=user.username, password=PASSWORD)
    return client.get("/").content.decode()


def test_unit_officer_sees_no_administrator_links(client, unit_officer):
    page = _nav(client, unit_officer)
    assert "Tự đánh giá" in page
    assert "Nhập kết quả" not in page
    assert "Tiến độ" not in page


def test_body_admin_sees_progress_board_and_import(client, body_admin):
    page = _nav(client, body_admin)
    assert "/tu-danh-gia/tien-do/" in page
    assert "/ket-qua/nhap/" in page
