"""Cursor pages in a stable order; the next and previous pages are also in the Link header (for CSV clients)."""

from rest_framework.pagination import CursorPagination

MAX_PAGE_SIZE = 1000


class ApiCursorPagination(CursorPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_ordering(self, request, queryset, view):
        return (view.cursor_ordering,)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        links = [f'<{url}>; rel="{rel}"' for rel, url in (("next", self.get_next_link()),
                                                            ("prev", self.get_previous_link())) if url]
        if links:
            response["Link"] = ", ".join(links)
        return response
