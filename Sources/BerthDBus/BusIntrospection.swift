/// `org.freedesktop.DBus.Introspectable.Introspect` data in the layout sd-bus writes: the three
/// standard interfaces, the object's own interfaces, then its child nodes.
package enum BusIntrospection {
    package static func document(interfaces: [PortableBusSchema.Interface], children: [String]) -> String {
        var xml = header + standardInterfaces
        for interface in interfaces { xml += render(interface) }
        for child in children { xml += " <node name=\"\(escape(child))\"/>\n" }
        return xml + "</node>\n"
    }

    private static func render(_ interface: PortableBusSchema.Interface) -> String {
        var xml = " <interface name=\"\(interface.name)\">\n"
        for property in interface.properties {
            xml += "  <property name=\"\(property.name)\" type=\"\(property.type)\" access=\""
            xml += property.writable ? "readwrite\">\n" : "read\">\n"
            xml += "   <annotation name=\"org.freedesktop.DBus.Property.EmitsChangedSignal\" value=\"false\"/>\n"
            if property.writable {
                xml += "   <annotation name=\"org.freedesktop.systemd1.Privileged\" value=\"true\"/>\n"
            }
            xml += "  </property>\n"
        }
        for method in interface.methods {
            xml += "  <method name=\"\(method.name)\">\n"
            for argument in method.inputs {
                xml += "   <arg type=\"\(argument.type)\" name=\"\(argument.name)\" direction=\"in\"/>\n"
            }
            for argument in method.outputs {
                xml += "   <arg type=\"\(argument.type)\" name=\"\(argument.name)\" direction=\"out\"/>\n"
            }
            xml += "  </method>\n"
        }
        return xml + " </interface>\n"
    }

    private static func escape(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("\"", with: "&quot;").replacing("<", with: "&lt;")
            .replacing(">", with: "&gt;")
    }

    private static let header = """
        <!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"
        "https://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
        <node>

        """

    /// Peer, Introspectable and Properties, which sd-bus answers or adds on every object.
    private static let standardInterfaces = """
         <interface name="org.freedesktop.DBus.Peer">
          <method name="Ping"/>
          <method name="GetMachineId">
           <arg type="s" name="machine_uuid" direction="out"/>
          </method>
         </interface>
         <interface name="org.freedesktop.DBus.Introspectable">
          <method name="Introspect">
           <arg name="xml_data" type="s" direction="out"/>
          </method>
         </interface>
         <interface name="org.freedesktop.DBus.Properties">
          <method name="Get">
           <arg name="interface_name" direction="in" type="s"/>
           <arg name="property_name" direction="in" type="s"/>
           <arg name="value" direction="out" type="v"/>
          </method>
          <method name="GetAll">
           <arg name="interface_name" direction="in" type="s"/>
           <arg name="props" direction="out" type="a{sv}"/>
          </method>
          <method name="Set">
           <arg name="interface_name" direction="in" type="s"/>
           <arg name="property_name" direction="in" type="s"/>
           <arg name="value" direction="in" type="v"/>
          </method>
          <signal name="PropertiesChanged">
           <arg type="s" name="interface_name"/>
           <arg type="a{sv}" name="changed_properties"/>
           <arg type="as" name="invalidated_properties"/>
          </signal>
         </interface>

        """
}
