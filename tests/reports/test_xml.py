"""XML reports: streamed record by record (each Message of an AmazonEnvelope), or parsed whole;
hardened like the client's parser."""
from __future__ import annotations

import pytest

from app.reports import MalformedReport, XmlRecordReader, parse_xml

ORDERS = b"""<?xml version="1.0" encoding="UTF-8"?>
<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <Header><DocumentVersion>1.00</DocumentVersion></Header>
  <MessageType>AllOrdersReport</MessageType>
  <Message><Order><AmazonOrderID>111-1</AmazonOrderID>
    <OrderItem><SKU>A</SKU></OrderItem><OrderItem><SKU>B</SKU></OrderItem></Order></Message>
  <Message><Order><AmazonOrderID>111-2</AmazonOrderID>
    <OrderItem><ItemPrice><Component><Amount currency="USD">9.99</Amount></Component></ItemPrice></OrderItem>
  </Order></Message>
</AmazonEnvelope>"""


def test_given_an_xml_report_in_small_chunks_then_each_message_comes_out_as_a_record():
    reader = XmlRecordReader()
    records = []
    for i in range(0, len(ORDERS), 13):
        records += reader.feed(ORDERS[i:i + 13])
    records += reader.close()
    assert records[0] == {"Message": {"Order": {"AmazonOrderID": "111-1",
                                                "OrderItem": [{"SKU": "A"}, {"SKU": "B"}]}}}
    amount = records[1]["Message"]["Order"]["OrderItem"]["ItemPrice"]["Component"]["Amount"]
    assert amount == {"@currency": "USD", "#text": "9.99"} and len(records) == 2 and reader.root == "AmazonEnvelope"


def test_given_a_whole_xml_report_then_it_is_one_dict_under_its_root():
    doc = parse_xml(ORDERS)
    assert doc["AmazonEnvelope"]["MessageType"] == "AllOrdersReport"
    assert [m["Order"]["AmazonOrderID"] for m in doc["AmazonEnvelope"]["Message"]] == ["111-1", "111-2"]


@pytest.mark.parametrize("body", [b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>',
                                  b"<a><b></a>"])
def test_given_a_dtd_or_broken_xml_then_malformed_report_both_ways(body):
    with pytest.raises(MalformedReport):
        parse_xml(body)
    reader = XmlRecordReader()
    with pytest.raises(MalformedReport):
        for i in range(0, len(body), 4):
            reader.feed(body[i:i + 4])
        reader.close()
