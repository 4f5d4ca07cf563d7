"""The client address of a request, configurable for deployments behind reverse proxies."""

from django.conf import settings


def client_ip(request):
    """Return the client's address.

    Without ``CLIENT_IP_HEADER`` this is the socket peer (``REMOTE_ADDR``). Behind proxies, set
    ``CLIENT_IP_HEADER`` (for example ``HTTP_X_FORWARDED_FOR``) and ``CLIENT_IP_PROXY_COUNT``:
    the address is read that many entries from the right, the part no client can forge.
    """
    header = settings.CLIENT_IP_HEADER
    if header:
        hops = [part.strip() for part in request.META.get(header, "").split(",") if part.strip()]
        count = max(settings.CLIENT_IP_PROXY_COUNT, 1)
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")
