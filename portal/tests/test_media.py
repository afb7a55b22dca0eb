"""With SERVE_MEDIA, uploaded images are served but documents only through Wagtail's view."""

from pathlib import Path

import pytest
from django.conf import settings
from django.http import Http404
from django.test import RequestFactory

from portal.views import media


@pytest.fixture
def files(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "confidentiel.pdf").write_bytes(b"%PDF-1.4 private")
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "logo.png").write_bytes(b"\x89PNG public")
    return Path(tmp_path)


def test_documents_always_go_through_the_wagtail_view():
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"


@pytest.mark.parametrize(
    "path",
    [
        "documents/confidentiel.pdf",
        "images/../documents/confidentiel.pdf",
        "./documents/confidentiel.pdf",
        "/documents/confidentiel.pdf",
        "documents/",
        "documents",
    ],
)
def test_media_view_never_serves_documents(files, path):
    with pytest.raises(Http404):
        media(RequestFactory().get("/media/" + path), path)


def test_media_view_serves_images(files):
    response = media(RequestFactory().get("/media/images/logo.png"), "images/logo.png")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG public"
    response.file_to_stream.close()  # close() would also send request_finished (DB)
