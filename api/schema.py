"""Every operation of the schema names the answers any API request can get besides its own 200."""

ERROR = {"type": "object", "additionalProperties": True, "properties": {"detail": {"type": "string"}}}
ANSWERS = {
    "304": "Not modified: the client's copy (If-None-Match / If-Modified-Since) is current",
    "400": "A query parameter is not valid",
    "401": "No key, or a key that is unknown, revoked or expired",
    "404": "Not found, or outside the key's scope",
    "429": "Too many requests for this key; retry after the Retry-After header's seconds",
}


def error_responses(result, generator, request, public):
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status, description in ANSWERS.items():
                if status in responses:
                    continue
                if status == "304":
                    responses[status] = {"description": description}
                else:
                    responses[status] = {"description": description, "content": {
                        "application/json": {"schema": ERROR}, "text/csv": {"schema": {"type": "string"}}}}
    return result
