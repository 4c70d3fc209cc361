"""Request bodies bounded before they are read: 413 on the declared length, and the upload handler's count."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory

from parindex.uploads import MB, BodyLimitUploadHandler, RequestBodyTooLarge, body_limit

BOUNDARY = "BoUnDaRy"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the request body was read")

    readline = readinto = read


class CountingBody(io.BytesIO):
    """A request body that counts the bytes read from it."""

    taken = 0

    def read(self, size=-1):
        data = super().read(size)
        self.taken += len(data)
        return data


def _huge_post(client, path: str, megabytes: int = 120):
    return client.post(
        path,
        data=b"",
        content_type=MULTIPART,
        CONTENT_TYPE=MULTIPART,  # with an empty data argument, the factory would not set it
        CONTENT_LENGTH=str(megabytes * MB),
        **{"wsgi.input": UnreadableBody()},
    )


@pytest.mark.parametrize(
    "path",
    [
        "/ket-qua/nhap/",  # published results import
        "/ket-qua/chi-so-tinh/nhap/",  # national results import
        "/dieu-tra/ky/1/nhap-tep/",  # ballots
        "/tieu-chi/lai-chau/nhap-excel/",  # criteria
        "/admin/scoring/user/nhap/",  # users
        "/tu-danh-gia/1/tai-lieu/tai-len/",  # evidence
        "/tieu-chi/",  # any other page
    ],
)
def test_a_120_mb_body_is_refused_with_413_before_it_is_read(client, db, path):
    response = _huge_post(client, path)
    assert response.status_code == 413
    assert "Dữ liệu gửi lên lớn hơn mức cho phép" in response.content.decode()
    assert response["Connection"] == "close"


def test_the_api_answers_413_in_json(client, db):
    response = _huge_post(client, "/api/v1/assessments/1/evidence/")
    assert response.status_code == 413
    assert response.json() == {"detail": "Dữ liệu gửi lên lớn hơn mức cho phép (22 MB) nên không được nhận."}


def test_each_kind_of_path_has_its_limit(settings):
    settings.EVIDENCE_MAX_UPLOAD_MB, settings.IMPORT_MAX_UPLOAD_MB, settings.UPLOAD_MARGIN_MB = 20, 50, 2
    settings.REQUEST_MAX_BODY_MB = 10
    assert body_limit("/tu-danh-gia/7/tai-lieu/tai-len/") == 22 * MB
    assert body_limit("/api/v1/assessments/7/evidence/") == 22 * MB
    assert body_limit("/tham-dinh/7/giai-trinh/3/tai-lieu/") == 22 * MB
    assert body_limit("/dieu-tra/ky/3/nhap-tep/") == 52 * MB
    assert body_limit("/dieu-tra/ky/3/sipas/") == 52 * MB
    assert body_limit("/ket-qua/nhap/") == 52 * MB
    assert body_limit("/dieu-tra/ky/3/nhap-phieu/luu/") == 10 * MB
    assert body_limit("/api/v1/assessments/7/items/1.1/") == 10 * MB


def test_a_body_within_the_limit_goes_through_to_the_view(client, db):
    # Not refused by the middleware: the view answers (login required), with the body parsed as usual.
    upload = SimpleUploadedFile("a.csv", b"ma,ten\n1,x\n")
    response = client.post("/ket-qua/nhap/", {"file": upload})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _multipart(size: int) -> bytes:
    return (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + b"x" * size
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


def test_the_upload_handler_refuses_a_body_over_the_limit_without_reading_it(settings):
    settings.REQUEST_MAX_BODY_MB = 1
    body = CountingBody(_multipart(3 * MB))
    request = RequestFactory().post(
        "/tieu-chi/",
        data=b"",
        content_type=MULTIPART,
        CONTENT_TYPE=MULTIPART,  # with an empty data argument, the factory would not set it
        CONTENT_LENGTH=str(len(body.getvalue())),
        **{"wsgi.input": body},
    )
    with pytest.raises(RequestBodyTooLarge):
        request.FILES  # noqa: B018
    assert body.taken == 0


def test_the_upload_handler_stops_a_body_of_unknown_length_at_the_limit(rf):
    # As a chunked body would arrive: no declared length, only the chunks.
    request = rf.post("/tieu-chi/")
    request.body_limit = 1 * MB
    handler = BodyLimitUploadHandler(request)
    handler.handle_raw_input(None, {}, 0, BOUNDARY.encode())
    chunk = b"x" * (64 * 1024)
    for _ in range(16):
        assert handler.receive_data_chunk(chunk, 0) == chunk
    with pytest.raises(RequestBodyTooLarge):
        handler.receive_data_chunk(chunk, 16 * len(chunk))


class OneMegabyteHandler(BodyLimitUploadHandler):
    """Stops at 1 MB whatever the path allows: stands for a body longer than it declared."""

    def handle_raw_input(self, *args, **kwargs) -> None:
        super().handle_raw_input(*args, **kwargs)
        self.limit = MB


def test_a_body_stopped_while_being_read_is_answered_413(db, settings):
    settings.FILE_UPLOAD_HANDLERS = [
        "tests.test_uploads.OneMegabyteHandler",
        *settings.FILE_UPLOAD_HANDLERS[1:],
    ]
    # The CSRF check reads the form, as it does for every POST outside the tests.
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    response = client.post("/tieu-chi/", {"file": SimpleUploadedFile("a.csv", b"x" * (2 * MB))})
    assert response.status_code == 413
