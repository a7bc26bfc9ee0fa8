"""Builders for MWS responses and requests in the client's tests (shapes as Amazon sends them)."""
from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import parse_qsl, quote

import httpx

ORDERS_NS = "https://mws.amazonservices.com/Orders/2013-09-01"
SELLERS_NS = "https://mws.amazonservices.com/Sellers/2011-07-01"
FEEDS_NS = "http://mws.amazonaws.com/doc/2009-01-01/"

CFG = {
    "sellerId": "A1EXAMPLESELLER",
    "accessKeyId": "AKIAEXAMPLEACCESSKEY",
    "secretAccessKey": "EXAMPLEsecret/Key+123=",
    "mwsAuthToken": "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE",
    "marketplaceId": "ATVPDKIKX0DER",
}
ENDPOINT = "https://mws.amazonservices.com"


def xml_response(status: int, body: str, request_id: str = "11111111-2222-3333-4444-555555555555",
                 headers: dict | None = None) -> httpx.Response:
    return httpx.Response(status, content=body.encode(), headers={
        "content-type": "text/xml", "x-mws-request-id": request_id, **(headers or {})})


def list_orders(orders: list[str] | None = None, next_token: str | None = None,
                result: str = "ListOrdersResult") -> str:
    order_xml = "".join(
        f"<Order><AmazonOrderId>{oid}</AmazonOrderId><OrderStatus>Shipped</OrderStatus>"
        f"<IsPrime>false</IsPrime><NumberOfItemsShipped>1</NumberOfItemsShipped></Order>"
        for oid in (orders or []))
    token = f"<NextToken>{next_token}</NextToken>" if next_token else ""
    return (f'<?xml version="1.0"?><{result[:-6]}Response xmlns="{ORDERS_NS}"><{result}>{token}'
            f"<LastUpdatedBefore>2020-05-28T11:20:25.747Z</LastUpdatedBefore><Orders>{order_xml}</Orders>"
            f"</{result}><ResponseMetadata><RequestId>47298250-a881-4d1a-a106-f9a7c4e64291</RequestId>"
            f"</ResponseMetadata></{result[:-6]}Response>")


def get_order(order_id: str = "902-3159896-1390916") -> str:
    return (f'<?xml version="1.0"?><GetOrderResponse xmlns="{ORDERS_NS}"><GetOrderResult><Orders><Order>'
            f"<AmazonOrderId>{order_id}</AmazonOrderId></Order></Orders></GetOrderResult>"
            "<ResponseMetadata><RequestId>88faca76-b600-46d2-b53c-0c8c4533e43a</RequestId></ResponseMetadata>"
            "</GetOrderResponse>")


def error_body(code: str, message: str, *, type_: str = "Sender", ns: str | None = ORDERS_NS,
               request_id_tag: str = "RequestId", request_id: str = "e26147f9-aaaa-bbbb-cccc-000000000000") -> str:
    xmlns = f' xmlns="{ns}"' if ns else ""
    type_xml = f"<Type>{type_}</Type>" if type_ else "<Type/>"
    return (f'<?xml version="1.0"?><ErrorResponse{xmlns}><Error>{type_xml}<Code>{code}</Code>'
            f"<Message>{message}</Message><Detail/></Error><{request_id_tag}>{request_id}</{request_id_tag}>"
            "</ErrorResponse>")


def participations(*marketplaces: str, seller: str = "A1EXAMPLESELLER", next_token: str | None = None,
                   operation: str = "ListMarketplaceParticipations") -> str:
    parts = "".join(
        f"<Participation><MarketplaceId>{m}</MarketplaceId><SellerId>{seller}</SellerId>"
        "<HasSellerSuspendedListings>No</HasSellerSuspendedListings></Participation>" for m in marketplaces)
    markets = "".join(
        f"<Marketplace><MarketplaceId>{m}</MarketplaceId><Name>Amazon</Name><DefaultCountryCode>US"
        "</DefaultCountryCode><DefaultCurrencyCode>USD</DefaultCurrencyCode><DefaultLanguageCode>en_US"
        "</DefaultLanguageCode><DomainName>www.amazon.com</DomainName></Marketplace>" for m in marketplaces)
    token = f"<NextToken>{next_token}</NextToken>" if next_token else ""
    return (f'<?xml version="1.0"?><{operation}Response xmlns="{SELLERS_NS}">'
            f"<{operation}Result>{token}<ListParticipations>{parts}</ListParticipations>"
            f"<ListMarketplaces>{markets}</ListMarketplaces></{operation}Result>"
            "<ResponseMetadata><RequestId>efeab958-74e2-45d4-9018-2323084413b5</RequestId></ResponseMetadata>"
            f"</{operation}Response>")


def reference_signature(method: str, host: str, path: str, params: dict[str, str], secret: str,
                        digest=hashlib.sha256) -> str:
    """The algorithm of mws-api.md §1.3, written independently of app.mws.auth."""
    enc = lambda s: quote(str(s), safe="-_.~")  # noqa: E731
    canon = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()) if k != "Signature")
    sts = "\n".join([method.upper(), host.lower(), path or "/", canon])
    return base64.b64encode(hmac.new(secret.encode(), sts.encode("utf-8"), digest).digest()).decode()


def sent_params(request: httpx.Request) -> dict[str, str]:
    """What the server decodes from a request: the form body, or the query for a raw body."""
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(request.content.decode(), keep_blank_values=True))
    return dict(parse_qsl(request.url.query.decode(), keep_blank_values=True))


def list_order_items(order_id: str = "902-3159896-1390916", items: int = 1) -> str:
    item_xml = "".join(
        f"<OrderItem><ASIN>B0000000{i}</ASIN><OrderItemId>{i}</OrderItemId><QuantityOrdered>1</QuantityOrdered>"
        "<IsGift>false</IsGift></OrderItem>" for i in range(items))
    return (f'<?xml version="1.0"?><ListOrderItemsResponse xmlns="{ORDERS_NS}"><ListOrderItemsResult>'
            f"<AmazonOrderId>{order_id}</AmazonOrderId><OrderItems>{item_xml}</OrderItems></ListOrderItemsResult>"
            "<ResponseMetadata><RequestId>88faca76-b600-46d2-b53c-0c8c4533e43a</RequestId></ResponseMetadata>"
            "</ListOrderItemsResponse>")
