using System.Collections.Generic;
using Microsoft.AspNetCore.Mvc;

namespace ShopApi.Controllers;

[ApiController]
[Route("[controller]")]
public class CartController : ControllerBase
{
    private readonly PriceCache _prices;
    private readonly CartService _cart;
    private string _lastItem;

    public CartController(PriceCache prices, CartService cart)
    {
        _prices = prices;
        _cart = cart;
    }

    [HttpPost]
    public IActionResult Add(string item)
    {
        _lastItem = item; // a controller is created per request: not shared
        _cart.Add(item);
        _prices.Remember(item, 10);
        return Ok(_lastItem);
    }
}

public class PriceCache
{
    private readonly Dictionary<string, decimal> _prices = new Dictionary<string, decimal>();

    public void Remember(string item, decimal price)
    {
        _prices[item] = price; // want LMI002 "PriceCache._prices"
    }
}

public class CartService
{
    private readonly List<string> _items = new List<string>();

    public void Add(string item)
    {
        _items.Add(item);
    }
}
